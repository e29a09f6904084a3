import { accessSync, constants, statSync } from 'node:fs';
import { validateIdentifier } from '@kafka-streamer/core';
import type { ValueKind } from './option-table.js';

/** A raw value that does not fit its option; `expected` completes "expected …". */
export class InvalidValue extends Error {
  constructor(readonly expected: string) {
    super(expected);
  }
}

const TRUE_WORDS = new Set(['true', '1', 'yes', 'on']);
const FALSE_WORDS = new Set(['false', '0', 'no', 'off']);

// host:port with a host name or IPv4 address. KafkaJS 2.2 takes the same form.
const BROKER = /^([A-Za-z0-9._-]+):(\d{1,5})$/;

function parseInteger(raw: unknown, min: number, max: number | undefined): number {
  const range = max === undefined ? `>= ${min}` : `from ${min} to ${max}`;
  const expected = `an integer ${range}`;

  let value: number;
  if (typeof raw === 'number') value = raw;
  else if (typeof raw === 'string' && /^\s*-?\d+\s*$/.test(raw)) value = Number(raw);
  else throw new InvalidValue(expected);

  if (!Number.isSafeInteger(value) || value < min || (max !== undefined && value > max)) {
    throw new InvalidValue(expected);
  }
  return value;
}

function parseNumber(raw: unknown, min: number, max: number): number {
  const expected = `a number from ${min} to ${max}`;
  const value = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw new InvalidValue(expected);
  }
  return value;
}

function parseBoolean(raw: unknown): boolean {
  if (typeof raw === 'boolean') return raw;
  const word = typeof raw === 'string' ? raw.trim().toLowerCase() : undefined;
  if (word !== undefined && TRUE_WORDS.has(word)) return true;
  if (word !== undefined && FALSE_WORDS.has(word)) return false;
  throw new InvalidValue('true or false (also 1/0, yes/no, on/off)');
}

function parseEnum(raw: unknown, values: readonly string[]): string {
  if (typeof raw === 'string' && values.includes(raw)) return raw;
  throw new InvalidValue(`one of ${values.join(', ')}`);
}

function parseString(raw: unknown): string {
  if (typeof raw === 'string' && raw.trim() !== '') return raw;
  throw new InvalidValue('a non-empty string');
}

function parseList(raw: unknown): string[] {
  const expected = 'a comma-separated list of host:port';
  let items: unknown[];
  if (Array.isArray(raw)) items = raw;
  else if (typeof raw === 'string') items = raw.split(',');
  else throw new InvalidValue(expected);

  const brokers = items.map((item) => (typeof item === 'string' ? item.trim() : item));
  const valid = brokers.length > 0 && brokers.every((item) => typeof item === 'string' && isBroker(item));
  if (!valid) throw new InvalidValue(expected);
  return brokers as string[];
}

function isBroker(text: string): boolean {
  const match = BROKER.exec(text);
  if (match === null) return false;
  const port = Number(match[2]);
  return port >= 1 && port <= 65_535;
}

function parseFile(raw: unknown): string {
  const path = parseString(raw);
  try {
    accessSync(path, constants.R_OK);
  } catch {
    throw new InvalidValue('a readable file, but it does not exist or cannot be read');
  }
  if (!statSync(path).isFile()) throw new InvalidValue('a readable file, but it is not a regular file');
  return path;
}

function parseIdentifier(raw: unknown): string {
  try {
    return validateIdentifier(raw, 'name');
  } catch {
    throw new InvalidValue('1 to 63 letters, digits or underscores, not starting with a digit');
  }
}

/** Parses one raw value (a string from the command line or environment, any JSON value from the file). */
export function parseValue(kind: ValueKind, raw: unknown): unknown {
  switch (kind.type) {
    case 'integer':
      return parseInteger(raw, kind.min, kind.max);
    case 'number':
      return parseNumber(raw, kind.min, kind.max);
    case 'boolean':
      return parseBoolean(raw);
    case 'enum':
      return parseEnum(raw, kind.values);
    case 'string':
      return parseString(raw);
    case 'list':
      return parseList(raw);
    case 'file':
      return parseFile(raw);
    case 'identifier':
      return parseIdentifier(raw);
  }
}
