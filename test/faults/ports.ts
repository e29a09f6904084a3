import { closeSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The loopback ports of one run: its broker (the controller takes the next port), the proxy and the private database servers. */
export interface SuitePorts {
  readonly broker: number;
  readonly proxy: number;
  readonly postgres: number;
  readonly mariadb: number;
  /** Frees the ports for another run. */
  release(): void;
}

// Ten slots of ports below Linux's default ephemeral range (32768 to 60999), where an
// outgoing connection could hold a port: slot k uses 24000 + 200k + 92 and up.
const SLOTS = 10;

function portsOf(slot: number): Omit<SuitePorts, 'release'> {
  const base = 24_000 + 200 * slot;
  return { broker: base + 92, proxy: base + 192, postgres: base + 110, mariadb: base + 120 };
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Takes the slot's lock file, replacing one left by a process that is gone. */
function lockSlot(slot: number): string | undefined {
  const file = join(tmpdir(), `ks-faults-slot-${slot}.lock`);
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const fd = openSync(file, 'wx');
      writeFileSync(fd, String(process.pid));
      closeSync(fd);
      return file;
    } catch {
      const owner = Number(readFileSync(file, 'utf8').trim());
      if (Number.isInteger(owner) && owner > 0 && pidAlive(owner)) return undefined;
      rmSync(file, { force: true });
    }
  }
  return undefined;
}

/**
 * Reserves a slot of ports that no other fault run on this machine uses and that
 * are free now, so that two test runs at once (two developers, or CI beside a
 * local run) do not stop each other's broker. KS_FAULTS_BROKER_PORT,
 * KS_FAULTS_PG_PORT and KS_FAULTS_MARIADB_PORT set ports by hand instead.
 */
export async function reservePorts(): Promise<SuitePorts> {
  const env = process.env;
  if (env.KS_FAULTS_BROKER_PORT || env.KS_FAULTS_PG_PORT || env.KS_FAULTS_MARIADB_PORT) {
    const defaults = portsOf(0);
    const broker = Number(env.KS_FAULTS_BROKER_PORT ?? defaults.broker);
    return {
      broker,
      proxy: broker + 100,
      postgres: Number(env.KS_FAULTS_PG_PORT ?? defaults.postgres),
      mariadb: Number(env.KS_FAULTS_MARIADB_PORT ?? defaults.mariadb),
      release() {},
    };
  }

  for (let slot = 0; slot < SLOTS; slot += 1) {
    const file = lockSlot(slot);
    if (file === undefined) continue;
    const ports = portsOf(slot);
    const all = [ports.broker, ports.broker + 1, ports.proxy, ports.postgres, ports.mariadb];
    if ((await Promise.all(all.map(isFree))).every(Boolean)) {
      const release = () => rmSync(file, { force: true });
      process.once('exit', release);
      return { ...ports, release };
    }
    rmSync(file, { force: true });
  }
  throw new Error(`no free port slot for the fault suite: ${SLOTS} slots from 24092 up are taken; set KS_FAULTS_BROKER_PORT to choose ports`);
}
