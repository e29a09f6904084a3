#!/usr/bin/env node
import { processIo } from './io.js';
import { runCli } from './run-cli.js';

// KafkaJS 2 warns at every producer creation that its default partitioner changed in 2.0.
// The relay uses the 2.x default partitioner, so the warning carries no information for operators.
process.env.KAFKAJS_NO_PARTITIONER_WARNING ??= '1';

const exitCode = await runCli(process.argv, processIo);

// Exit explicitly: a driver socket or timer that outlives its command must not keep the process up.
process.exit(exitCode);
