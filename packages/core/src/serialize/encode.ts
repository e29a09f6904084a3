import { describeValue, UnserializableValueError } from './errors.js';
import { formatPythonFloat } from './float-repr.js';
import { JsonFloat } from './json-float.js';
import { encodeJsonString } from './json-string.js';
import { JsonText } from './json-text.js';
import { formatDatetime } from './temporal-format.js';

export interface EncodeOptions {
  /** Writes `,` and `:` without spaces instead of Python's default `, ` and `: `. */
  readonly compact?: boolean;
}

/** Turns a message body (keys in message order) into the message value. */
export type MessageSerializer = (body: ReadonlyMap<string, unknown>) => string;

interface Separators {
  readonly item: string;
  readonly key: string;
}

const PYTHON_SEPARATORS: Separators = { item: ', ', key: ': ' };
const COMPACT_SEPARATORS: Separators = { item: ',', key: ':' };

/**
 * Encodes a message body as JSON with the bytes of Python's `json.dumps` with
 * Django's JSON encoder (as used by django-kafka-streamer 1.4.1): keys in Map
 * order, separators `, ` and `: ` at every depth, no trailing newline.
 *
 * Strings, booleans and null are written as JSON. Integer numbers and BigInt are
 * bare digits, other numbers and JsonFloat are Python floats (`3.0`, `1e+16`),
 * and a Date is UTC ISO 8601 with `Z`. JsonText is written as its parsed
 * document, Maps, plain objects and arrays are nested, and an object with a
 * `toJSON` method is written as its result. An undefined object or Map value
 * leaves its key out and an undefined array item becomes null, as
 * JSON.stringify does.
 *
 * Throws UnserializableValueError, naming the field path, for NaN, Infinity,
 * binary data, functions, symbols, circular structures and other objects.
 */
export function encodeMessage(body: ReadonlyMap<string, unknown>, options?: EncodeOptions): string {
  const encoder = new Encoder(options?.compact === true ? COMPACT_SEPARATORS : PYTHON_SEPARATORS);
  return encoder.encodeEntries(body.entries(), '');
}

/** Python-compatible bytes, as django-kafka-streamer writes them. */
export const defaultSerializer: MessageSerializer = (body) => encodeMessage(body);

/** The same JSON without spaces after `,` and `:`. */
export const compactSerializer: MessageSerializer = (body) => encodeMessage(body, { compact: true });

function childPath(parent: string, key: string): string {
  return parent === '' ? key : `${parent}.${key}`;
}

function isPlainObject(value: object): boolean {
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

class Encoder {
  private readonly ancestors = new Set<object>();

  constructor(private readonly separators: Separators) {}

  encodeEntries(entries: Iterable<[unknown, unknown]>, path: string): string {
    const parts: string[] = [];

    for (const [rawKey, value] of entries) {
      const key = this.encodeKey(rawKey, path);
      if (value === undefined) continue;

      const encoded = this.encodeValue(value, childPath(path, key));
      parts.push(`${encodeJsonString(key)}${this.separators.key}${encoded}`);
    }

    return `{${parts.join(this.separators.item)}}`;
  }

  private encodeKey(key: unknown, path: string): string {
    if (typeof key === 'string') return key;
    if (typeof key === 'number' && Number.isInteger(key)) return String(key);
    if (typeof key === 'bigint') return String(key);
    throw new UnserializableValueError(
      path === '' ? '(message)' : path,
      `key ${describeValue(key)} is not a string: use string keys in Maps`,
    );
  }

  private encodeArray(items: readonly unknown[], path: string): string {
    const parts = items.map((item, index) => {
      return item === undefined ? 'null' : this.encodeValue(item, `${path}[${index}]`);
    });
    return `[${parts.join(this.separators.item)}]`;
  }

  private encodeValue(value: unknown, path: string): string {
    switch (typeof value) {
      case 'string':
        return encodeJsonString(value);
      case 'boolean':
        return value ? 'true' : 'false';
      case 'bigint':
        return value.toString();
      case 'number':
        return this.encodeNumber(value, path);
      case 'object':
        return value === null ? 'null' : this.encodeObject(value, path);
      default:
        throw new UnserializableValueError(
          path,
          `${typeof value} ${describeValue(value)} has no JSON form: leave the field out or convert it to a value`,
        );
    }
  }

  private encodeNumber(value: number, path: string): string {
    if (!Number.isFinite(value)) {
      throw new UnserializableValueError(
        path,
        `${value} is not valid JSON: store NULL instead or convert the value to a string before streaming`,
      );
    }

    return Number.isInteger(value) ? BigInt(value).toString() : formatPythonFloat(value);
  }

  private encodeObject(value: object, path: string): string {
    if (value instanceof JsonFloat) {
      if (!Number.isFinite(value.value)) return this.encodeNumber(value.value, path);
      return formatPythonFloat(value.value);
    }
    if (value instanceof Date) return encodeJsonString(formatDatetime(value, path));
    if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) {
      throw new UnserializableValueError(
        path,
        'binary data has no JSON form: exclude the column or load it as a string (base64 or hex)',
      );
    }

    if (this.ancestors.has(value)) {
      throw new UnserializableValueError(path, 'circular reference: an object contains itself');
    }
    this.ancestors.add(value);
    try {
      return this.encodeContainer(value, path);
    } finally {
      this.ancestors.delete(value);
    }
  }

  private encodeContainer(value: object, path: string): string {
    if (value instanceof JsonText) return this.encodeValue(value.value, path);
    if (Array.isArray(value)) return this.encodeArray(value, path);
    if (value instanceof Map) return this.encodeEntries(value.entries(), path);

    const toJSON = (value as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === 'function') return this.encodeValue(toJSON.call(value), path);

    if (isPlainObject(value)) return this.encodeEntries(Object.entries(value), path);

    throw new UnserializableValueError(
      path,
      `${describeValue(value)} has no JSON form: convert it to a plain object, Map, array or primitive`,
    );
  }
}
