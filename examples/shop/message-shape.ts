import type { ReceivedMessage } from './consume.js';

export const MESSAGE_TYPES = new Set(['create', 'update', 'delete', 'refresh', 'enumerate', 'eos']);

/** Static fields every shop message carries, eos excepted. */
export const SHOP_STATIC_FIELDS: Readonly<Record<string, unknown>> = { schema_version: 1, service: 'shop' };

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/;

/** A received message with its parsed body, or the reason it could not be parsed. */
export interface ParsedMessage {
  readonly message: ReceivedMessage;
  readonly body: Record<string, unknown> | undefined;
  readonly type: string | undefined;
  readonly id: unknown;
  readonly problems: readonly string[];
}

function parseBody(value: string | null): Record<string, unknown> | string {
  if (value === null) return 'value is null';
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch (error) {
    return `value is not JSON: ${(error as Error).message}`;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return `value is JSON ${Array.isArray(parsed) ? 'array' : typeof parsed}, not an object`;
  }
  return parsed as Record<string, unknown>;
}

function envelopeProblems(body: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const keys = Object.keys(body);

  if (keys[0] !== '_time' || keys[1] !== '_type') {
    problems.push(`envelope keys are not first: keys start with ${JSON.stringify(keys.slice(0, 2))}`);
  }
  const firstData = keys.findIndex((key) => !key.startsWith('_'));
  const lateEnvelope = firstData < 0 ? undefined : keys.slice(firstData).find((key) => key.startsWith('_'));
  if (lateEnvelope !== undefined) problems.push(`envelope key ${lateEnvelope} comes after data keys`);

  if (typeof body._time !== 'string' || !ISO_UTC.test(body._time)) {
    problems.push(`_time ${JSON.stringify(body._time)} is not ISO 8601 UTC with a Z suffix`);
  }
  if (typeof body._type !== 'string' || !MESSAGE_TYPES.has(body._type)) {
    problems.push(`_type ${JSON.stringify(body._type)} is not a message type`);
  }
  if (!('id' in body)) problems.push('id is missing');
  return problems;
}

function identityProblems(parsed: Omit<ParsedMessage, 'problems'>): string[] {
  const { body, type, id, message } = parsed;
  if (body === undefined || type === 'eos') return [];
  const problems: string[] = [];

  // An enumerate message of an empty table lists no ids, and its id is null.
  const emptyEnumerate = type === 'enumerate' && id === null && Array.isArray(body.ids) && body.ids.length === 0;
  if (!Number.isInteger(id) && !emptyEnumerate) problems.push(`id ${JSON.stringify(id)} is not an integer`);
  if (type !== 'enumerate' && message.key !== String(id)) {
    problems.push(`Kafka key ${JSON.stringify(message.key)} is not the object id ${JSON.stringify(id)}`);
  }
  for (const [name, value] of Object.entries(SHOP_STATIC_FIELDS)) {
    if (body[name] !== value) problems.push(`static field ${name} is ${JSON.stringify(body[name])}, expected ${JSON.stringify(value)}`);
  }
  if (!message.headers['message-id']) problems.push('message-id header is missing');
  return problems;
}

/** Parses a message and lists what is wrong with its shape. */
export function parseMessage(message: ReceivedMessage): ParsedMessage {
  const body = parseBody(message.value);
  if (typeof body === 'string') return { message, body: undefined, type: undefined, id: undefined, problems: [body] };

  const base = { message, body, type: typeof body._type === 'string' ? body._type : undefined, id: body.id };
  return { ...base, problems: [...envelopeProblems(body), ...identityProblems(base)] };
}
