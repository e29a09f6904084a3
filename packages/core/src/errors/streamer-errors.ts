import { KafkaStreamerError } from './kafka-streamer-error.js';

/** The root Knex instance (or anything that is not a transaction) was passed where a transaction is needed. */
export class NotATransactionError extends KafkaStreamerError {
  constructor(fn: string) {
    super(
      'ERR_KS_NOT_A_TRANSACTION',
      `${fn} needs a Knex transaction, not the root Knex instance: ` +
        'pass the trx from knex.transaction(async (trx) => ...) so that the messages commit or roll back with your data',
    );
  }
}

/** The transaction was already committed or rolled back. */
export class TransactionCompletedError extends KafkaStreamerError {
  constructor(fn: string) {
    super(
      'ERR_KS_TRANSACTION_COMPLETED',
      `${fn} was given a transaction that is already committed or rolled back: ` +
        'call it inside the knex.transaction(async (trx) => ...) callback, before it returns, and pass that trx',
    );
  }
}

/** A value passed to stream is not an object (null, a number, a string). */
export class InvalidObjectError extends KafkaStreamerError {
  constructor(value: unknown, position: number) {
    const shown = typeof value === 'string' ? JSON.stringify(value) : String(value);
    super(
      'ERR_KS_INVALID_OBJECT',
      `object ${position} to stream is ${shown}, not an object: pass model instances or rows ` +
        '(on MySQL, where insert returns only the id, pass { id } with { reload: true })',
    );
  }
}

/** No streamer is registered for a model. */
export class ModelNotRegisteredError extends KafkaStreamerError {
  constructor(model: string) {
    super(
      'ERR_KS_MODEL_NOT_REGISTERED',
      `model ${model} has no registered streamer: call register(${model}, { topic: ... }) first, ` +
        'or pass { model } when streaming plain rows',
    );
  }
}

/** A streamer was registered without a topic. */
export class MissingTopicError extends KafkaStreamerError {
  constructor(model: string) {
    super(
      'ERR_KS_MISSING_TOPIC',
      `the streamer of model ${model} has no topic: set \`topic\` on the streamer class or pass register(${model}, { topic: 'name' })`,
    );
  }
}

/** An object passed for streaming lacks a column of its table. */
export class MissingColumnError extends KafkaStreamerError {
  constructor(model: string, column: string, id: unknown) {
    super(
      'ERR_KS_MISSING_COLUMN',
      `the ${model} object with id ${String(id)} has no value for column "${column}": pass the full row ` +
        "(for example from .returning('*') or a select of all columns) or stream with { reload: true } to read it back by id",
    );
  }
}

/** `reload: true` found no row for some ids. */
export class RowNotFoundError extends KafkaStreamerError {
  constructor(table: string, ids: readonly unknown[]) {
    super(
      'ERR_KS_ROW_NOT_FOUND',
      `reload found no row in table ${table} for id ${ids.map(String).join(', ')}: ` +
        'stream deleted rows without reload, passing their last state, or use streamDeleteIds',
    );
  }
}

/** A Kafka key longer than the outbox column allows. */
export class KeyTooLongError extends KafkaStreamerError {
  constructor(key: string, max: number) {
    super(
      'ERR_KS_KEY_TOO_LONG',
      `message key ${JSON.stringify(key.length > 80 ? `${key.slice(0, 80)}...` : key)} has ${key.length} characters, ` +
        `more than the maximum ${max}: return a shorter key (for example a hash) from the key serializer`,
    );
  }
}
