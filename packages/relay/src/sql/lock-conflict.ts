/**
 * Attempts of a statement that fails on a lock conflict, the first included. A
 * deadlock victim's transaction is rolled back whole, so running it again at once
 * is safe and usually succeeds because the other transaction now holds its locks.
 */
export const LOCK_CONFLICT_ATTEMPTS = 4;

// MySQL/MariaDB errno 1213 (ER_LOCK_DEADLOCK) and 1205 (ER_LOCK_WAIT_TIMEOUT);
// PostgreSQL SQLSTATE 40P01 (deadlock_detected) and 40001 (serialization_failure).
const MYSQL_ERRNOS = new Set([1213, 1205]);
const SQLSTATES = new Set(['40P01', '40001']);

/** Returns true when a driver error is a deadlock, lock-wait timeout or serialization failure. */
export function isLockConflict(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const failure = error as { errno?: unknown; code?: unknown; sqlState?: unknown };
  if (typeof failure.errno === 'number' && MYSQL_ERRNOS.has(failure.errno)) return true;
  if (failure.code === 'ER_LOCK_DEADLOCK' || failure.code === 'ER_LOCK_WAIT_TIMEOUT') return true;
  return typeof failure.code === 'string' && SQLSTATES.has(failure.code);
}

/**
 * Runs `attempt` and runs it again at once when it fails on a lock conflict, up to
 * LOCK_CONFLICT_ATTEMPTS times in all; any other error, or the last conflict, is thrown.
 * `attempt` must build its statement anew on each call.
 */
export async function retryOnLockConflict<T>(attempt: () => PromiseLike<T>): Promise<T> {
  for (let tries = 1; ; tries++) {
    try {
      return await attempt();
    } catch (error) {
      if (tries >= LOCK_CONFLICT_ATTEMPTS || !isLockConflict(error)) throw error;
    }
  }
}
