import { OUTBOX_COLUMNS as C } from '@kafka-streamer/core';
import type { SqlContext } from './context.js';
import { idChunks, type Queryable, runStatement } from './statement.js';

/**
 * Deletes rows that Kafka acknowledged. Rows are deleted rather than marked so
 * that the table and its (message_key, id) index hold only pending and parked
 * rows, which keeps the claim query fast. The claim id is not checked: once Kafka
 * has the message, the row is done, whichever relay holds its claim now.
 */
export async function deletePublished(context: SqlContext, ids: readonly string[]): Promise<number> {
  let deleted = 0;
  for (const chunk of idChunks(ids)) {
    deleted += await runStatement(context, (db) => deleteChunk(context, db, chunk));
  }
  return deleted;
}

// Knex leaves ORDER BY out of a MySQL DELETE, and MySQL takes no index hint on a
// single-table DELETE, so the MySQL form is written out: ORDER BY id with a LIMIT
// keeps the optimizer on the primary key (see rowsById).
async function deleteChunk(context: SqlContext, db: Queryable, ids: readonly string[]): Promise<number> {
  if (context.dialect !== 'mysql') return db(context.table).whereIn(C.id, [...ids]).del();

  const placeholders = ids.map(() => '?').join(', ');
  const sql = `DELETE FROM ?? WHERE ?? IN (${placeholders}) ORDER BY ?? LIMIT ${ids.length}`;
  const [result] = (await db.raw(sql, [context.table, C.id, ...ids, C.id])) as [{ affectedRows: number }];
  return result.affectedRows;
}
