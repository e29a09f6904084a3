import { describe, expect, it } from 'vitest';
import { isLockConflict, LOCK_CONFLICT_ATTEMPTS, retryOnLockConflict } from '../src/sql/lock-conflict.js';

function driverError(fields: Record<string, unknown>): Error {
  return Object.assign(new Error('driver error'), fields);
}

const deadlock = () => driverError({ code: 'ER_LOCK_DEADLOCK', errno: 1213, sqlState: '40001' });

describe('isLockConflict', () => {
  it.each([
    ['MySQL deadlock', { code: 'ER_LOCK_DEADLOCK', errno: 1213 }],
    ['MySQL lock wait timeout', { code: 'ER_LOCK_WAIT_TIMEOUT', errno: 1205 }],
    ['PostgreSQL deadlock', { code: '40P01' }],
    ['PostgreSQL serialization failure', { code: '40001' }],
  ])('accepts %s', (_name, fields) => {
    expect(isLockConflict(driverError(fields))).toBe(true);
  });

  it.each([
    ['MySQL duplicate key', { code: 'ER_DUP_ENTRY', errno: 1062 }],
    ['PostgreSQL unique violation', { code: '23505' }],
    ['connection refused', { code: 'ECONNREFUSED' }],
  ])('rejects %s', (_name, fields) => {
    expect(isLockConflict(driverError(fields))).toBe(false);
  });

  it('rejects values that are not errors', () => {
    expect(isLockConflict(undefined)).toBe(false);
    expect(isLockConflict('40P01')).toBe(false);
  });
});

describe('retryOnLockConflict', () => {
  it('runs again after a deadlock', async () => {
    let calls = 0;
    const result = await retryOnLockConflict(async () => {
      calls += 1;
      if (calls < 3) throw deadlock();
      return 'done';
    });

    expect(result).toBe('done');
    expect(calls).toBe(3);
  });

  it('throws the last conflict after the last attempt', async () => {
    let calls = 0;
    const attempt = retryOnLockConflict(async () => {
      calls += 1;
      throw deadlock();
    });

    await expect(attempt).rejects.toMatchObject({ code: 'ER_LOCK_DEADLOCK' });
    expect(calls).toBe(LOCK_CONFLICT_ATTEMPTS);
  });

  it('throws other errors at once', async () => {
    let calls = 0;
    const attempt = retryOnLockConflict(async () => {
      calls += 1;
      throw driverError({ code: 'ER_DUP_ENTRY', errno: 1062 });
    });

    await expect(attempt).rejects.toMatchObject({ code: 'ER_DUP_ENTRY' });
    expect(calls).toBe(1);
  });
});
