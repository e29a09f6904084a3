/**
 * Base class of every error that kafka-streamer throws on purpose. Callers and
 * tests match on `code`, which is stable across releases; the message is for
 * people and may change.
 */
export class KafkaStreamerError extends Error {
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** An option or argument that is invalid; thrown before anything is written. */
export class ConfigurationError extends KafkaStreamerError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('ERR_KS_CONFIGURATION', message, options);
  }
}
