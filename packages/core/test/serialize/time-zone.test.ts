import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/databases.js';

const execFileAsync = promisify(execFile);
const testDirectory = dirname(fileURLToPath(import.meta.url));
const TSX = join(testDirectory, '..', '..', '..', '..', 'node_modules', '.bin', 'tsx');
const CHILD = join(testDirectory, 'fixtures', 'time-zone-child.ts');

describe('datetimes in another process time zone', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase('postgres', 'ks_serialize_tz');
  });

  afterAll(async () => {
    await db?.destroy();
  });

  it('renders UTC under Asia/Kolkata', async () => {
    const { stdout } = await execFileAsync(TSX, [CHILD], {
      env: { ...process.env, TZ: 'Asia/Kolkata', CHILD_POSTGRES_URL: db.url },
      encoding: 'utf8',
    });
    const output = JSON.parse(stdout);

    expect(output.offsetMinutes).toBe(-330);
    expect(output.time).toBe('2023-01-01T00:00:00Z');
    expect(output.message).toBe('{"_time": "2023-01-02T12:30:00.123Z"}');
    expect(output.naiveText).toBe('2023-01-02T12:30:00Z');
    expect(output.driverDate).toBe('2023-01-02T12:30:00.123Z');
    expect(output.driverText).toBe('2023-01-02T12:30:00.123Z');
  });
});
