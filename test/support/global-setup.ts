import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);
const KAFKA_SCRIPT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'scripts', 'kafka.sh');

async function kafkaScript(command: string): Promise<string> {
  const child = execFileAsync('bash', [KAFKA_SCRIPT, command], { encoding: 'utf8' });
  // The script reports progress on stderr (jar download, startup); pass it through.
  child.child.stderr?.pipe(process.stderr);
  const { stdout } = await child;
  return stdout.trim();
}

/**
 * Makes a broker available to every test file through KAFKA_BROKERS: the one KAFKA_BROKERS
 * already names, or the local one from scripts/kafka.sh, started here when it is not running.
 * It is left running afterwards (another test run may share it): `npm run kafka:stop` stops it.
 * Workers inherit the variables set here.
 */
export default async function setup(): Promise<void> {
  process.env.KAFKAJS_NO_PARTITIONER_WARNING ??= '1';

  if (process.env.KAFKA_BROKERS?.trim()) {
    process.env.KAFKA_STREAMER_LOCAL_BROKER = '0';
    return;
  }

  process.env.KAFKA_BROKERS = await kafkaScript('start');
  process.env.KAFKA_STREAMER_LOCAL_BROKER = '1';
}
