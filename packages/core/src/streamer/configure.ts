import { ConfigurationError } from '../errors/kafka-streamer-error.js';
import { MissingTopicError } from '../errors/streamer-errors.js';
import type { ModelClass } from '../model/model.js';
import { validateIdentifier } from '../outbox/table.js';
import type { Streamer, StreamerOptions } from './streamer.js';

const OPTION_NAMES: ReadonlySet<string> = new Set<keyof StreamerOptions>([
  'topic',
  'exclude',
  'include',
  'selectRelated',
  'prefetchRelated',
  'handleRelated',
  'staticFields',
  'computed',
  'batchClass',
  'batchSize',
  'idField',
  'serializer',
  'keySerializer',
  'partition',
  'partitioner',
  'enumerateIdsField',
  'enumerateChunkField',
  'enumerateChunkSize',
  'refreshFinalizeType',
  'compact',
  'reload',
]);

// A batch binds one parameter per object in its IN lists, and SQLite allows 32766
// parameters per statement.
const MAX_BATCH_SIZE = 30_000;

// Kafka's own rule for topic names.
const TOPIC = /^[A-Za-z0-9._-]{1,249}$/;

/** Copies the defined options onto a streamer, rejecting unknown option names. */
export function applyOptions<T extends object>(streamer: Streamer<T>, options: StreamerOptions<T>, model: ModelClass): void {
  for (const [name, value] of Object.entries(options)) {
    if (!OPTION_NAMES.has(name)) {
      throw new ConfigurationError(
        `unknown streamer option ${JSON.stringify(name)} for model ${model.name}: options are camelCase, for example selectRelated`,
      );
    }
    if (value !== undefined) (streamer as unknown as Record<string, unknown>)[name] = value;
  }
}

/** Checks a streamer's options; throws the first problem found, naming the option and the fix. */
export function validateStreamer<T extends object>(streamer: Streamer<T>, model: ModelClass): void {
  const where = `streamer of model ${model.name}`;
  if (streamer.topic === undefined || streamer.topic === null || streamer.topic === '') {
    throw new MissingTopicError(model.name);
  }
  if (typeof streamer.topic !== 'string' || !TOPIC.test(streamer.topic) || streamer.topic === '.' || streamer.topic === '..') {
    throw new ConfigurationError(
      `invalid topic ${JSON.stringify(streamer.topic)} in ${where}: use 1 to 249 letters, digits, '.', '_' or '-'`,
    );
  }

  validateIdentifier(streamer.idField, `idField of ${where}`);
  requirePositiveInteger(streamer.batchSize, `batchSize of ${where}`);
  if (streamer.batchSize > MAX_BATCH_SIZE) {
    throw new ConfigurationError(
      `invalid batchSize of ${where}: ${streamer.batchSize}; use at most ${MAX_BATCH_SIZE}, the ids of a batch are bound in one IN list`,
    );
  }
  requirePositiveInteger(streamer.enumerateChunkSize, `enumerateChunkSize of ${where}`);
  for (const name of ['exclude', 'include', 'selectRelated', 'prefetchRelated', 'handleRelated'] as const) {
    requireStringList(streamer[name], `${name} of ${where}`);
  }

  if (streamer.refreshFinalizeType !== 'enumerate' && streamer.refreshFinalizeType !== 'eos') {
    throw new ConfigurationError(
      `invalid refreshFinalizeType ${JSON.stringify(streamer.refreshFinalizeType)} in ${where}: use 'enumerate' or 'eos'`,
    );
  }
  if (streamer.partition !== undefined && (!Number.isInteger(streamer.partition) || streamer.partition < 0)) {
    throw new ConfigurationError(`invalid partition ${String(streamer.partition)} in ${where}: use an integer of 0 or more`);
  }
  if (typeof streamer.enumerateIdsField !== 'string' || typeof streamer.enumerateChunkField !== 'string') {
    throw new ConfigurationError(`enumerateIdsField and enumerateChunkField of ${where} must be strings`);
  }

  requirePlainObject(streamer.staticFields, `staticFields of ${where}`, "{ source: 'shop' }");
  requirePlainObject(streamer.computed, `computed of ${where}`, '{ total: (obj, batch) => ... }');
  for (const [name, value] of Object.entries(streamer.computed)) {
    if (typeof value !== 'function') throw new ConfigurationError(`invalid computed field ${JSON.stringify(name)} of ${where}: use a function (obj, batch) => value`);
  }
  for (const name of ['serializer', 'keySerializer', 'partitioner', 'batchClass'] as const) {
    const value = streamer[name];
    if (value !== undefined && typeof value !== 'function') {
      throw new ConfigurationError(`invalid ${name} of ${where}: ${typeof value}; use a function (see the ${name} option in the core README)`);
    }
  }
}

function requirePlainObject(value: unknown, option: string, example: string): void {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ConfigurationError(`invalid ${option}: ${Array.isArray(value) ? 'an array' : String(value)}; use an object such as ${example}`);
  }
}

function requirePositiveInteger(value: unknown, what: string): void {
  if (!Number.isInteger(value) || (value as number) < 1) {
    throw new ConfigurationError(`invalid ${what}: ${String(value)}; use a whole number of 1 or more`);
  }
}

function requireStringList(value: unknown, what: string): void {
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
    throw new ConfigurationError(`invalid ${what}: use an array of names`);
  }
}
