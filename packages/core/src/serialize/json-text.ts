import { parseJsonText } from './json-text-parser.js';

/**
 * A JSON document stored as text (a JSON column). The encoder writes `value`,
 * which keeps the stored key order, integer digits of any size, and duplicate
 * keys as Python's json.loads does (first position, last value).
 * Throws a SyntaxError when `text` is not valid JSON.
 */
export class JsonText {
  readonly text: string;
  readonly value: unknown;

  constructor(text: string) {
    this.text = text;
    this.value = parseJsonText(text);
  }
}
