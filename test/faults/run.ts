// Fault-injection run: tsx test/faults/run.ts [--seed N] [--size small|long] [--scenarios a,b] [--dialect postgres|mysql]
// Prints one report per scenario and a summary; exits 1 on any violation, 2 on invalid arguments.
import { parseArgs } from 'node:util';
import { formatScenario, formatSummary } from './report.js';
import { DEFAULT_SCENARIOS, SCENARIOS, runSuite } from './suite.js';

function usage(message: string): never {
  process.stderr.write(`error: ${message}\nusage: tsx test/faults/run.ts [--seed N] [--size small|long] [--scenarios ${Object.keys(SCENARIOS).join(',')}] [--dialect postgres|mysql]\n`);
  process.exit(2);
}

const { values } = parseArgs({
  options: {
    seed: { type: 'string', default: '1' },
    size: { type: 'string', default: 'small' },
    scenarios: { type: 'string', default: DEFAULT_SCENARIOS.join(',') },
    dialect: { type: 'string', default: 'postgres' },
    'log-dir': { type: 'string' },
  },
});

const seed = Number(values.seed);
if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) usage(`--seed must be an integer from 0 to 4294967295, got ${values.seed}`);
if (values.size !== 'small' && values.size !== 'long') usage(`--size must be small or long, got ${values.size}`);
if (values.dialect !== 'postgres' && values.dialect !== 'mysql') usage(`--dialect must be postgres or mysql, got ${values.dialect}`);
const scenarios = (values.scenarios as string).split(',').map((name) => name.trim()).filter((name) => name !== '');
for (const name of scenarios) if (SCENARIOS[name] === undefined) usage(`unknown scenario ${name}`);

process.env.KAFKAJS_NO_PARTITIONER_WARNING ??= '1';
// Exit through process.exit, so that the private database servers are killed on the way out.
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => process.exit(130));
process.stdout.write(`fault run: seed ${seed}, size ${values.size}, scenarios ${scenarios.join(', ')}\n`);
const suite = await runSuite({
  seed,
  size: values.size,
  scenarios,
  dialect: values.dialect,
  logDir: values['log-dir'],
  onResult: (result) => process.stdout.write(`${formatScenario(result)}\n`),
});
process.stdout.write(`${formatSummary(suite)}\n`);
process.exit(suite.results.some((result) => result.violations.length > 0) ? 1 : 0);
