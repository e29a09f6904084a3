import { JsonFloat } from './json-float.js';

const NUMBER = /-?(?:0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;
const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
};

/**
 * Parses JSON text into values the encoder writes as Python's
 * `json.dumps(json.loads(text))` would. Objects become Maps in text order, so
 * integer-like keys stay where they are (JSON.parse moves them to the front).
 * Integers become BigInt with every digit, and numbers with a fraction or
 * exponent become JsonFloat. Rejects NaN and Infinity literals, which are not JSON.
 */
export function parseJsonText(text: string): unknown {
  const parser = new JsonTextParser(text);
  const value = parser.parseValue();
  parser.skipWhitespace();
  if (parser.position < text.length) parser.fail('unexpected data after the JSON value');
  return value;
}

class JsonTextParser {
  position = 0;

  constructor(private readonly text: string) {}

  fail(reason: string): never {
    throw new SyntaxError(`invalid JSON text at position ${this.position}: ${reason}`);
  }

  skipWhitespace(): void {
    while (this.position < this.text.length) {
      const char = this.text[this.position];
      if (char !== ' ' && char !== '\t' && char !== '\n' && char !== '\r') return;
      this.position++;
    }
  }

  parseValue(): unknown {
    this.skipWhitespace();
    const char = this.text[this.position];

    if (char === '{') return this.parseObject();
    if (char === '[') return this.parseArray();
    if (char === '"') return this.parseString();
    if (char === '-' || (char !== undefined && char >= '0' && char <= '9')) return this.parseNumber();
    if (this.text.startsWith('true', this.position)) return this.literal(4, true);
    if (this.text.startsWith('false', this.position)) return this.literal(5, false);
    if (this.text.startsWith('null', this.position)) return this.literal(4, null);

    return this.fail(char === undefined ? 'unexpected end of text' : `unexpected character ${JSON.stringify(char)}`);
  }

  private literal<T>(length: number, value: T): T {
    this.position += length;
    return value;
  }

  private expect(char: string): void {
    this.skipWhitespace();
    if (this.text[this.position] !== char) this.fail(`expected ${JSON.stringify(char)}`);
    this.position++;
  }

  private tryConsume(char: string): boolean {
    this.skipWhitespace();
    if (this.text[this.position] !== char) return false;
    this.position++;
    return true;
  }

  private parseObject(): Map<string, unknown> {
    const result = new Map<string, unknown>();
    this.position++;
    if (this.tryConsume('}')) return result;

    do {
      this.skipWhitespace();
      if (this.text[this.position] !== '"') this.fail('expected a string key');
      const key = this.parseString();
      this.expect(':');
      result.set(key, this.parseValue());
    } while (this.tryConsume(','));

    this.expect('}');
    return result;
  }

  private parseArray(): unknown[] {
    const result: unknown[] = [];
    this.position++;
    if (this.tryConsume(']')) return result;

    do {
      result.push(this.parseValue());
    } while (this.tryConsume(','));

    this.expect(']');
    return result;
  }

  private parseNumber(): bigint | JsonFloat {
    NUMBER.lastIndex = this.position;
    const match = NUMBER.exec(this.text);
    if (match === null) return this.fail('invalid number');
    this.position += match[0].length;

    if (match[1] === undefined && match[2] === undefined) return BigInt(match[0]);
    return new JsonFloat(Number(match[0]));
  }

  private parseString(): string {
    let result = '';
    let chunkStart = ++this.position;

    while (this.position < this.text.length) {
      const code = this.text.charCodeAt(this.position);

      if (code === 0x22) {
        result += this.text.slice(chunkStart, this.position);
        this.position++;
        return result;
      }
      if (code < 0x20) this.fail('control character in a string');
      if (code === 0x5c) {
        result += this.text.slice(chunkStart, this.position);
        result += this.parseEscape();
        chunkStart = this.position;
        continue;
      }
      this.position++;
    }

    return this.fail('unterminated string');
  }

  private parseEscape(): string {
    const char = this.text[this.position + 1];
    if (char === undefined) return this.fail('unterminated escape');

    const simple = SIMPLE_ESCAPES[char];
    if (simple !== undefined) {
      this.position += 2;
      return simple;
    }

    if (char !== 'u') return this.fail(`invalid escape \\${char}`);
    const hex = this.text.slice(this.position + 2, this.position + 6);
    if (!/^[0-9a-fA-F]{4}$/.test(hex)) return this.fail('invalid \\u escape');
    this.position += 6;
    return String.fromCharCode(Number.parseInt(hex, 16));
  }
}
