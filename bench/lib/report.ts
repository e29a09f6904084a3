import { round } from './stats.js';

/** One line of the summary table. */
export interface TargetRow {
  readonly name: string;
  readonly value: number | undefined;
  readonly target: string;
  readonly met: boolean | undefined;
}

export function targetRow(name: string, value: number | undefined, target: string, check: (value: number) => boolean): TargetRow {
  return { name, value, target, met: value === undefined || Number.isNaN(value) ? undefined : check(value) };
}

/** Formats the rows as a fixed-width text table. */
function verdict(met: boolean | undefined): string {
  if (met === undefined) return '-';
  return met ? 'met' : 'MISSED';
}

export function formatTable(rows: readonly TargetRow[]): string {
  const cells = rows.map((row) => [
    row.name,
    row.value === undefined ? 'not run' : String(round(row.value, 2)),
    row.target,
    verdict(row.met),
  ]);
  const header = ['measure', 'value', 'target', 'result'];
  const widths = header.map((title, column) => Math.max(title.length, ...cells.map((cell) => (cell[column] as string).length)));
  const line = (cell: string[]) => cell.map((text, column) => text.padEnd(widths[column] as number)).join('  ');
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...cells.map(line)].join('\n');
}
