import type { ScenarioResult } from './scenario.js';
import type { SuiteResult } from './suite.js';

function faultCounts(result: ScenarioResult): string {
  const counts = new Map<string, number>();
  for (const record of result.faults) counts.set(record.kind, (counts.get(record.kind) ?? 0) + 1);
  return [...counts].map(([kind, count]) => `${count} × ${kind}`).join(', ') || 'none';
}

function duplicateLines(result: ScenarioResult): string[] {
  const lines: string[] = [];
  for (const [fault, count] of result.duplicatesByFault) {
    if (fault === null) lines.push(`    ${count} duplicates of rows in flight at no fault`);
    else lines.push(`    ${count} duplicates at ${fault.kind} (t=${(fault.atMs / 1000).toFixed(1)} s, ${fault.inFlight.size} rows in flight${fault.detail ? `, ${fault.detail}` : ''})`);
  }
  return lines;
}

/** A human-readable report of one scenario. */
export function formatScenario(result: ScenarioResult): string {
  const status = result.violations.length === 0 ? 'PASS' : 'FAIL';
  const lines = [
    `${status} ${result.name} on ${result.database} (${(result.durationMs / 1000).toFixed(1)} s)`,
    `  rows committed ${result.committedRows}, transactions committed ${result.transactions.committed}, rolled back ${result.transactions.rolledBack}, failed ${result.transactions.failed}`,
    `  messages ${result.messages}, lost ${result.lost}, duplicates ${result.duplicates}, parked ${result.parked}`,
    `  faults: ${faultCounts(result)}; relay processes started ${result.relayStarts}`,
    `  max takeover ${result.maxTakeoverMs === null ? 'n/a' : `${result.maxTakeoverMs} ms`}, max relay RSS ${(result.maxRssKb / 1024).toFixed(1)} MiB`,
    ...[...result.figures].map(([name, value]) => `  ${name}: ${value}`),
    ...duplicateLines(result),
    ...result.violations.map((violation) => `  VIOLATION: ${violation}`),
  ];
  return lines.join('\n');
}

/** The closing summary of a run, with totals over its scenarios. */
export function formatSummary(suite: SuiteResult): string {
  const results = suite.results;
  const sum = (pick: (result: ScenarioResult) => number) => results.reduce((total, result) => total + pick(result), 0);
  const takeovers = results.flatMap((result) => (result.maxTakeoverMs === null ? [] : [result.maxTakeoverMs]));
  const failed = results.filter((result) => result.violations.length > 0).length;
  return [
    '',
    `fault run: seed ${suite.seed}, size ${suite.size}, ${(suite.durationMs / 1000).toFixed(0)} s, relay logs in ${suite.logDir}`,
    `  rows committed ${sum((r) => r.committedRows)}, faults injected ${sum((r) => r.faults.length)} (relay kills ${sum((r) => r.faults.filter((f) => f.kind === 'relay SIGKILL').length)})`,
    `  rows lost ${sum((r) => r.lost)}, duplicates ${sum((r) => r.duplicates)}, parked poison rows ${sum((r) => r.parked)}`,
    `  longest takeover ${takeovers.length === 0 ? 'n/a' : `${Math.max(...takeovers)} ms`}, max relay RSS ${(Math.max(0, ...results.map((r) => r.maxRssKb)) / 1024).toFixed(1)} MiB`,
    `${results.length - failed} passed, ${failed} failed`,
  ].join('\n');
}
