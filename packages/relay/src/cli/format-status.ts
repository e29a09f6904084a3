import type { OutboxCounts, ParkedRow } from '../sql/status.js';

export interface StatusReport {
  readonly outbox: string;
  readonly counts: OutboxCounts;
  /** The first parked rows in id order, at most the `--limit`. */
  readonly parkedRows: readonly ParkedRow[];
}

// Long error messages are cut in the table; --json has them whole.
const ERROR_WIDTH = 80;

function oneLine(text: string | null, width: number): string {
  if (text === null) return '';
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= width ? flat : `${flat.slice(0, width - 1)}…`;
}

function formatAge(seconds: number | null): string {
  if (seconds === null) return '-';
  if (seconds < 120) return `${seconds.toFixed(1)} s`;
  if (seconds < 7200) return `${(seconds / 60).toFixed(1)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)];
}

/** Formats the status report as text for a terminal. */
export function formatStatusTable(report: StatusReport): string {
  const { counts } = report;
  const summary = table(
    ['OUTBOX', report.outbox],
    [
      ['pending rows', String(counts.pending)],
      ['claimed now', String(counts.claimed)],
      ['waiting to retry', String(counts.retrying)],
      ['parked rows', String(counts.parked)],
      ['oldest pending', formatAge(counts.oldestPendingAgeSeconds)],
    ],
  );
  const lines = [...summary, ''];

  if (report.parkedRows.length === 0) {
    lines.push('no parked rows');
    return `${lines.join('\n')}\n`;
  }

  const truncationNote = report.parkedRows.length < counts.parked ? ` (first ${report.parkedRows.length} of ${counts.parked})` : '';
  lines.push(`parked rows${truncationNote}:`);
  const rows = report.parkedRows.map((row) => [
    row.id,
    row.topic,
    row.key ?? '(null)',
    String(row.attempts),
    row.parkedAt,
    oneLine(row.lastError, ERROR_WIDTH),
  ]);
  lines.push(...table(['ID', 'TOPIC', 'KEY', 'ATTEMPTS', 'PARKED AT', 'LAST ERROR'], rows));
  return `${lines.join('\n')}\n`;
}

/** Formats the status report as one JSON document. Ids are strings because they may exceed 2^53. */
export function formatStatusJson(report: StatusReport): string {
  const document = {
    outbox: report.outbox,
    ...report.counts,
    parkedRows: report.parkedRows,
    parkedRowsTruncated: report.parkedRows.length < report.counts.parked,
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}
