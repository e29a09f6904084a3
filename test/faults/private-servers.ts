import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { chownSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import knexFactory from 'knex';
import { QUIET_KNEX_LOG } from './quiet-log.js';

const execFileAsync = promisify(execFile);

/** PostgreSQL server binaries of the Debian package; override with KS_FAULTS_PG_BIN. */
const PG_BIN = process.env.KS_FAULTS_PG_BIN ?? '/usr/lib/postgresql/15/bin';

// Servers still running when the suite's process exits (an error or Ctrl-C) are killed
// here, synchronously, so that no private server outlives the run that started it.
const exitCleanups = new Set<() => void>();
process.on('exit', () => {
  for (const cleanup of exitCleanups) cleanup();
});

function killQuietly(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(pid, signal);
  } catch {
    // Already gone.
  }
}

/** A database server of the suite's own, on a loopback port and a temporary data directory, which it may crash at will. */
export interface PrivateServer {
  readonly dialect: 'postgres' | 'mysql';
  /** URL of the database `faults` on it. */
  readonly url: string;
  /** Kills the server without a clean shutdown, then starts it on the same data; resolves once it accepts connections. */
  crashAndRestart(): Promise<void>;
  destroy(): Promise<void>;
}

async function waitUntilReady(client: string, url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const knex = knexFactory({ client, connection: url, pool: { min: 0, max: 1 }, acquireConnectionTimeout: 2000, log: QUIET_KNEX_LOG });
    try {
      await knex.raw('SELECT 1');
      return;
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`database at ${url} did not accept connections within ${timeoutMs} ms: ${(error as Error).message}`);
    } finally {
      await knex.destroy();
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

// initdb and postgres refuse to run as root, so they run as the postgres user when the suite is root.
function asPostgres(command: string, args: readonly string[]): [string, string[]] {
  if (process.getuid?.() !== 0) return [command, [...args]];
  return ['runuser', ['-u', 'postgres', '--', command, ...args]];
}

/** Creates a PostgreSQL cluster in a temporary directory (trust auth) and starts it on 127.0.0.1:`port`. */
export async function startPrivatePostgres(port: number): Promise<PrivateServer> {
  const dir = mkdtempSync(join(tmpdir(), 'ks-faults-pg-'));
  const data = join(dir, 'data');
  if (process.getuid?.() === 0) chownSync(dir, Number((await execFileAsync('id', ['-u', 'postgres'])).stdout.trim()), Number((await execFileAsync('id', ['-g', 'postgres'])).stdout.trim()));

  const run = async (command: string, args: string[]) => {
    const [file, argv] = asPostgres(join(PG_BIN, command), args);
    await execFileAsync(file, argv, { timeout: 120_000 });
  };
  await run('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8']);

  const options = `-p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=${dir} -c max_connections=200 -c fsync=on`;
  const start = () => run('pg_ctl', ['-D', data, '-o', options, '-l', join(dir, 'server.log'), '-w', '-t', '60', 'start']);
  await start();

  // SIGQUIT is PostgreSQL's immediate shutdown; the postmaster's pid is the first line of postmaster.pid.
  const killOnExit = () => {
    try {
      killQuietly(Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]), 'SIGQUIT');
    } catch {
      // No pid file: the server is not running.
    }
    rmSync(dir, { recursive: true, force: true });
  };
  exitCleanups.add(killOnExit);

  const adminUrl = `postgres://postgres@127.0.0.1:${port}/postgres`;
  await waitUntilReady('pg', adminUrl, 30_000);
  const admin = knexFactory({ client: 'pg', connection: adminUrl, pool: { min: 0, max: 1 } });
  await admin.raw('CREATE DATABASE faults');
  await admin.destroy();
  const url = `postgres://postgres@127.0.0.1:${port}/faults`;

  return {
    dialect: 'postgres',
    url,
    async crashAndRestart() {
      // Immediate mode is a crash: no checkpoint, recovery replays the WAL at start.
      await run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      await start();
      await waitUntilReady('pg', url, 60_000);
    },
    async destroy() {
      exitCleanups.delete(killOnExit);
      await run('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']).catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Creates a MariaDB data directory in a temporary directory and starts mariadbd on 127.0.0.1:`port`. */
export async function startPrivateMariadb(port: number): Promise<PrivateServer> {
  const dir = mkdtempSync(join(tmpdir(), 'ks-faults-mariadb-'));
  const data = join(dir, 'data');
  await execFileAsync('mariadb-install-db', ['--no-defaults', `--datadir=${data}`, '--user=root', '--auth-root-authentication-method=normal', '--skip-test-db'], {
    timeout: 120_000,
  });

  let server: ChildProcess | undefined;
  const start = () => {
    server = spawn(
      'mariadbd',
      [
        '--no-defaults',
        `--datadir=${data}`,
        `--port=${port}`,
        '--bind-address=127.0.0.1',
        `--socket=${join(dir, 'mariadb.sock')}`,
        `--pid-file=${join(dir, 'mariadb.pid')}`,
        '--user=root',
        '--innodb-flush-log-at-trx-commit=1',
        '--max-connections=300',
        `--log-error=${join(dir, 'error.log')}`,
      ],
      { stdio: 'ignore' },
    );
  };
  const stopped = () =>
    new Promise<void>((resolve) => {
      if (server === undefined || server.exitCode !== null || server.signalCode !== null) resolve();
      else server.once('exit', () => resolve());
    });

  const killOnExit = () => {
    killQuietly(server?.pid, 'SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  };
  exitCleanups.add(killOnExit);

  start();
  const adminUrl = `mysql://root@127.0.0.1:${port}/mysql`;
  await waitUntilReady('mysql2', adminUrl, 60_000);
  const admin = knexFactory({ client: 'mysql2', connection: adminUrl, pool: { min: 0, max: 1 } });
  await admin.raw('CREATE DATABASE faults CHARACTER SET utf8mb4');
  await admin.destroy();
  const url = `mysql://root@127.0.0.1:${port}/faults`;

  return {
    dialect: 'mysql',
    url,
    async crashAndRestart() {
      server?.kill('SIGKILL');
      await stopped();
      start();
      await waitUntilReady('mysql2', url, 60_000);
    },
    async destroy() {
      exitCleanups.delete(killOnExit);
      server?.kill('SIGTERM');
      await stopped();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
