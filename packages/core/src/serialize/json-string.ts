// biome-ignore lint/suspicious/noControlCharactersInRegex: JSON escapes exactly the control characters U+0000 to U+001F.
const MAY_NEED_ESCAPE = /[\u0000-\u001f"\\\ud800-\udfff]/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: JSON escapes exactly the control characters U+0000 to U+001F.
const NEEDS_ESCAPE = /[\u0000-\u001f"\\]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

const SHORT_ESCAPES: Readonly<Record<string, string>> = {
  '"': '\\"',
  '\\': '\\\\',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
};

/**
 * Writes a JSON string literal as Python's `json.dumps(..., ensure_ascii=False)`
 * does: text stays raw (non-ASCII, emoji, `/`, U+2028, U+2029, DEL), `"` and `\`
 * are escaped, control characters use the short forms `\n \r \t \b \f` or
 * `\u00XX` in lowercase hex.
 *
 * A lone UTF-16 surrogate has no UTF-8 encoding, so Python's output fails to
 * encode. This function writes it as a `\udXXX` escape instead. The escape is
 * valid JSON and decodes back to the same JavaScript string.
 */
export function encodeJsonString(text: string): string {
  if (!MAY_NEED_ESCAPE.test(text)) return `"${text}"`;
  return `"${text.replace(NEEDS_ESCAPE, escapeChar)}"`;
}

function escapeChar(char: string): string {
  return SHORT_ESCAPES[char] ?? `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
}
