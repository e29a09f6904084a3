import type { ParsedMessage } from './message-shape.js';
import { formatSummary } from './summary.js';
import type { VerifyResult } from './verify.js';

const SHOWN_VIOLATIONS = 20;

/** The line printed when every check passed; tests look for its start. */
export const SUCCESS_PREFIX = 'VERIFIED:';

function sampleMessages(messages: readonly ParsedMessage[], count: number): ParsedMessage[] {
  const kinds: ((parsed: ParsedMessage) => boolean)[] = [
    (parsed) => parsed.type === 'create' && Array.isArray(parsed.body?.lines),
    (parsed) => parsed.type === 'update' && typeof parsed.message.topic === 'string' && parsed.message.topic.endsWith('.customers'),
    (parsed) => parsed.type === 'delete' && parsed.body !== undefined && !('version' in parsed.body),
    (parsed) => parsed.type === 'enumerate',
    (parsed) => parsed.type === 'update' && Array.isArray(parsed.body?.products),
    (parsed) => parsed.type === 'delete' && parsed.body !== undefined && 'version' in parsed.body,
  ];
  return kinds
    .map((predicate) => messages.find(predicate))
    .filter((parsed): parsed is ParsedMessage => parsed !== undefined)
    .slice(0, count);
}

function formatSample(parsed: ParsedMessage): string {
  const { topic, partition, offset, key, headers } = parsed.message;
  const body = JSON.stringify(parsed.body, null, 2);
  const shown = parsed.type === 'enumerate' ? body.replace(/\[\s*([\d,\s]+)\]/, (_, ids: string) => shortList(ids)) : body;
  return `--- ${topic} partition ${partition} offset ${offset}, key ${JSON.stringify(key)}, message-id ${headers['message-id']}\n${shown}`;
}

function shortList(ids: string): string {
  const list = ids.split(',').map((id) => id.trim());
  return list.length <= 8 ? `[${list.join(', ')}]` : `[${list.slice(0, 8).join(', ')}, ... ${list.length - 8} more]`;
}

/** Formats the verifier's summary, the first violations or the success line, and sample messages. */
export function formatReport(result: VerifyResult, samples: number): string {
  const lines = [formatSummary(result.stats), ''];
  if (samples > 0) {
    lines.push('Sample messages:');
    for (const parsed of sampleMessages(result.messages, samples)) lines.push(formatSample(parsed));
    lines.push('');
  }

  if (result.ok) {
    lines.push(
      `${SUCCESS_PREFIX} ${result.stats.arrived} committed changes arrived, in order per object, with nothing from rolled-back work (${result.stats.messages} messages checked)`,
    );
    return lines.join('\n');
  }

  const byCheck = new Map<string, number>();
  for (const { check } of result.violations) byCheck.set(check, (byCheck.get(check) ?? 0) + 1);
  const counts = [...byCheck].map(([check, count]) => `${check} ${count}`).join(', ');
  lines.push(`FAILED: ${result.violations.length} violations (${counts}); the first ${Math.min(SHOWN_VIOLATIONS, result.violations.length)}:`);
  for (const violation of result.violations.slice(0, SHOWN_VIOLATIONS)) lines.push(`  [${violation.check}] ${violation.detail}`);
  return lines.join('\n');
}
