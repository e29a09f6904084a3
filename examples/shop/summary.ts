import type { ParsedMessage } from './message-shape.js';

/** Numbers the verifier prints after a run. */
export interface RunStats {
  /** topic -> message type -> count. */
  readonly counts: ReadonlyMap<string, ReadonlyMap<string, number>>;
  readonly messages: number;
  /** Copies of a message already received (same message-id header). */
  readonly duplicates: number;
  readonly expected: number;
  readonly arrived: number;
  /** Commit to Kafka record timestamp of each expected change's first arrival, in ms. */
  readonly lagsMs: readonly number[];
  /** From the first commit to the last Kafka timestamp, in ms. */
  readonly spanMs: number;
}

export function countByTopicAndType(messages: readonly ParsedMessage[]): Map<string, Map<string, number>> {
  const counts = new Map<string, Map<string, number>>();
  for (const parsed of messages) {
    const byType = counts.get(parsed.message.topic) ?? new Map<string, number>();
    const type = parsed.type ?? 'invalid';
    byType.set(type, (byType.get(type) ?? 0) + 1);
    counts.set(parsed.message.topic, byType);
  }
  return counts;
}

/** The value at quantile `q` (0..1) of sorted numbers, by the nearest-rank method. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.max(1, Math.ceil(q * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1] as number;
}

function pad(cells: readonly string[], widths: readonly number[]): string {
  return cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join('  ');
}

const TYPE_COLUMNS = ['create', 'update', 'delete', 'refresh', 'enumerate', 'eos'];

/** Formats the messages per topic and type as a text table. */
export function formatCountTable(counts: RunStats['counts']): string {
  const header = ['topic', ...TYPE_COLUMNS, 'total'];
  const rows = [...counts].map(([topic, byType]) => {
    const cells = TYPE_COLUMNS.map((type) => String(byType.get(type) ?? 0));
    const total = [...byType.values()].reduce((sum, n) => sum + n, 0);
    return [topic, ...cells, String(total)];
  });
  const widths = header.map((_, i) => Math.max(...[header, ...rows].map((row) => (row[i] ?? '').length)));
  return [pad(header, widths), ...rows.map((row) => pad(row, widths))].join('\n');
}

/** Formats the whole summary: counts, duplicates, lag and throughput. */
export function formatSummary(stats: RunStats): string {
  const lags = [...stats.lagsMs].sort((a, b) => a - b);
  const seconds = stats.spanMs / 1000;
  const rate = seconds > 0 ? Math.round(stats.messages / seconds) : 0;
  return [
    formatCountTable(stats.counts),
    '',
    `messages: ${stats.messages}, duplicates (same message-id): ${stats.duplicates}`,
    `committed changes arrived: ${stats.arrived} of ${stats.expected}`,
    `end-to-end lag (commit to Kafka timestamp): p50 ${quantile(lags, 0.5)} ms, p99 ${quantile(lags, 0.99)} ms, max ${lags[lags.length - 1] ?? Number.NaN} ms`,
    `throughput: ${rate} messages/s over ${seconds.toFixed(1)} s (first commit to last Kafka timestamp)`,
  ].join('\n');
}
