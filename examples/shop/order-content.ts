import type { ParsedMessage } from './message-shape.js';

type Row = Record<string, unknown>;

function isRow(value: unknown): value is Row {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Parses a decimal string such as "12.50" into whole cents. */
export function toCents(value: unknown): number {
  if (typeof value !== 'string' || !/^-?\d+(\.\d{1,2})?$/.test(value)) return Number.NaN;
  const [whole = '0', fraction = ''] = value.replace('-', '').split('.');
  const cents = Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
  return value.startsWith('-') ? -cents : cents;
}

export function formatCents(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

function lineProblems(body: Row, lines: unknown): string[] {
  if (!Array.isArray(lines)) return [`lines is ${JSON.stringify(lines)}, expected a list`];
  const problems: string[] = [];
  let total = 0;

  for (const line of lines) {
    if (!isRow(line) || line.order_id !== body.id) {
      problems.push(`a line does not belong to order ${body.id}: ${JSON.stringify(line)}`);
      continue;
    }
    total += Number(line.quantity) * toCents(line.unit_price);
  }
  if (body.total !== formatCents(total)) {
    problems.push(`total ${JSON.stringify(body.total)} is not the sum of the lines ${formatCents(total)}`);
  }
  return problems;
}

function relatedProblems(body: Row): string[] {
  const problems: string[] = [];
  const customer = body.customer;
  if (!isRow(customer) || customer.id !== body.customer_id) {
    problems.push(`customer ${JSON.stringify(customer)} does not match customer_id ${body.customer_id}`);
  }
  if (!Array.isArray(body.tags)) problems.push(`tags is ${JSON.stringify(body.tags)}, expected a list`);

  const products = Array.isArray(body.products) ? body.products : undefined;
  if (products === undefined) return [...problems, `products is ${JSON.stringify(body.products)}, expected a list`];
  const productIds = new Set(products.map((product) => (isRow(product) ? product.id : undefined)));
  for (const line of Array.isArray(body.lines) ? body.lines : []) {
    if (isRow(line) && !productIds.has(line.product_id)) {
      problems.push(`product ${line.product_id} of a line is missing from products`);
    }
  }
  return problems;
}

/**
 * Lists what is wrong with the content of an order message: the embedded customer,
 * lines, tags and products must agree with the order, and `total` with its lines.
 * A delete by id carries no data and is not checked.
 */
export function orderContentProblems(parsed: ParsedMessage): string[] {
  const body = parsed.body;
  if (body === undefined || !('customer_id' in body)) return [];
  return [...relatedProblems(body), ...lineProblems(body, body.lines)];
}
