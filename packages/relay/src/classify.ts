/** Classification of a failed produce request, which decides between retry and park. */
export interface FailureClass {
  /** True when sending again later may succeed (connection lost, timeout, leader moved). */
  readonly retriable: boolean;
  /** Kafka protocol error type, such as `MESSAGE_TOO_LARGE`, when one is in the cause chain. */
  readonly kafkaType: string | undefined;
  /** Message of the innermost error, for `last_error` and logs. */
  readonly message: string;
}

// Broker error types that repeat on every retry, because the request or record itself is invalid.
const PERMANENT_TYPES = new Set([
  'MESSAGE_TOO_LARGE',
  'RECORD_LIST_TOO_LARGE',
  'INVALID_RECORD',
  'CORRUPT_MESSAGE',
  'INVALID_TOPIC_EXCEPTION',
  'INVALID_REQUIRED_ACKS',
  'TOPIC_AUTHORIZATION_FAILED',
  'CLUSTER_AUTHORIZATION_FAILED',
  'UNSUPPORTED_FOR_MESSAGE_FORMAT',
  'UNSUPPORTED_COMPRESSION_TYPE',
  'INVALID_PARTITIONS',
]);

// JavaScript errors thrown inside KafkaJS for bad input; retrying cannot fix them.
const PROGRAMMING_ERRORS = new Set(['TypeError', 'RangeError', 'ReferenceError', 'SyntaxError']);

function causeChain(error: unknown): unknown[] {
  const chain: unknown[] = [];
  let current: unknown = error;
  while (current !== undefined && current !== null && chain.length < 10 && !chain.includes(current)) {
    chain.push(current);
    current = (current as { cause?: unknown; originalError?: unknown }).cause ??
      (current as { originalError?: unknown }).originalError;
  }
  return chain;
}

/**
 * Classifies an error thrown by KafkaJS `producer.send`. KafkaJS wraps the broker's
 * error response (a KafkaJSProtocolError with `type` and `retriable`) in
 * KafkaJSNonRetriableError or KafkaJSNumberOfRetriesExceeded, so the whole cause
 * chain is read. UNKNOWN_TOPIC_OR_PARTITION counts as retriable, because the
 * topic may be created later; the row is parked after `retry.maxAttempts`.
 */
export function classifyKafkaError(error: unknown): FailureClass {
  const chain = causeChain(error);
  const typed = chain.find((item) => typeof (item as { type?: unknown }).type === 'string') as
    | { type: string; retriable?: boolean }
    | undefined;
  const innermost = chain[chain.length - 1];
  const message = innermost instanceof Error ? innermost.message : String(innermost);

  if (typed !== undefined && PERMANENT_TYPES.has(typed.type)) {
    return { retriable: false, kafkaType: typed.type, message };
  }
  const programming = chain.some((item) => item instanceof Error && PROGRAMMING_ERRORS.has(item.name));
  if (programming) return { retriable: false, kafkaType: typed?.type, message };

  return { retriable: true, kafkaType: typed?.type, message };
}
