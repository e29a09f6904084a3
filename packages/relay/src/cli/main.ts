#!/usr/bin/env node
import { exitOnStartupSignals } from './startup-signals.js';

// Installed before the CLI's modules load, which takes a few hundred ms.
exitOnStartupSignals(process.argv);

const { processIo } = await import('./io.js');
const { runCli } = await import('./run-cli.js');

const exitCode = await runCli(process.argv, processIo);

// Exit explicitly: a driver socket or timer that outlives its command must not keep the process up.
process.exit(exitCode);
