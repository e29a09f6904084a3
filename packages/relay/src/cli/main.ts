#!/usr/bin/env node
import { processIo } from './io.js';
import { runCli } from './run-cli.js';

const exitCode = await runCli(process.argv, processIo);

// Exit explicitly: a driver socket or timer that outlives its command must not keep the process up.
process.exit(exitCode);
