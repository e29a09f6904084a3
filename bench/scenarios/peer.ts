import type { Producer } from 'kafkajs';
import {
  DatabaseSetup,
  type GeneralMessageHandler,
  getDisabledLogger,
  initializePollingMessageListener,
  type PollingListenerConfig,
  type TransactionalMessage,
} from 'pg-transactional-outbox';
import type { Knex } from 'knex';
import type { BenchSettings } from '../lib/args.js';
import { payloadOf } from '../lib/backlog.js';
import { benchTopic, relayLikeProducer } from '../lib/kafka.js';
import { createTestDatabase } from '../../test/support/databases.js';
import { measureRelayRate } from './drain.js';

const PEER_TABLE = 'peer_outbox';
const PEER_FUNCTION = 'next_peer_outbox_messages';
// Same claim size and poll interval as the relay's defaults.
const BATCH_SIZE = 500;
const POLL_INTERVAL_MS = 500;

export interface PeerMeasure {
  readonly rows: number;
  readonly peerRate: number;
  readonly relayRate: number;
  /** False when the peer hit the time limit; its rate then covers the messages it sent. */
  readonly peerFinished: boolean;
  readonly relayVsPeer: number;
}

async function setUpPeerTable(knex: Knex, database: string, rows: number, settings: BenchSettings): Promise<void> {
  const config = { outboxOrInbox: 'outbox' as const, database, schema: 'public', table: PEER_TABLE, listenerRole: 'postgres' };
  await knex.raw(DatabaseSetup.dropAndCreateTable(config));
  await knex.raw(DatabaseSetup.createPollingFunction({ ...config, nextMessagesName: PEER_FUNCTION }));
  await knex.raw(DatabaseSetup.setupPollingIndexes({ ...config, nextMessagesName: PEER_FUNCTION }));

  // One segment per key, with the default 'sequential' concurrency: the peer then keeps
  // per-key order as the relay does.
  const filler = payloadOf(0, settings.payloadBytes).replace('{"n":0,"filler":"', '').replace('"}', '');
  await knex.raw(
    `INSERT INTO ${PEER_TABLE} (id, aggregate_type, aggregate_id, message_type, segment, payload, created_at)
     SELECT gen_random_uuid(), 'bench', 'key-' || (g % ?), 'update', 'key-' || (g % ?),
       ('{"n":' || g || ',"filler":"' || ? || '"}')::jsonb, now() + g * interval '1 microsecond'
     FROM generate_series(0, ? - 1) AS g`,
    [settings.keys, settings.keys, filler, rows],
  );
  await knex.raw(`VACUUM ANALYZE ${PEER_TABLE}`);
}

function kafkaHandler(producer: Producer, topic: string, onSent: () => void): GeneralMessageHandler {
  return {
    handle: async (message: TransactionalMessage) => {
      await producer.send({
        topic,
        acks: -1,
        messages: [
          {
            key: message.aggregateId,
            value: JSON.stringify(message.payload),
            headers: { 'message-id': message.id, 'message-type': message.messageType },
          },
        ],
      });
      onSent();
    },
  };
}

/** Runs the peer's polling listener until it sent `rows` messages or the time limit passed. */
async function runPeer(url: string, rows: number, timeoutMs: number): Promise<{ sent: number; ms: number }> {
  const topic = await benchTopic('peer');
  const producer = await relayLikeProducer('ks-bench-peer');
  let sent = 0;
  let finish: () => void = () => {};
  const done = new Promise<void>((resolve) => {
    finish = resolve;
  });
  const timer = setTimeout(finish, timeoutMs);

  const config: PollingListenerConfig = {
    outboxOrInbox: 'outbox',
    dbListenerConfig: { connectionString: url },
    settings: {
      dbSchema: 'public',
      dbTable: PEER_TABLE,
      enableMaxAttemptsProtection: false,
      enablePoisonousMessageProtection: false,
      nextMessagesFunctionName: PEER_FUNCTION,
      nextMessagesBatchSize: BATCH_SIZE,
      nextMessagesPollingIntervalInMs: POLL_INTERVAL_MS,
      messageCleanupIntervalInMs: 0,
    },
  };
  const start = performance.now();
  const handler = kafkaHandler(producer, topic, () => {
    sent += 1;
    if (sent >= rows) finish();
  });
  // The default batch size strategy takes one message per poll for the first
  // nextMessagesBatchSize polls (a guard against poison messages); the full size
  // from the start gives the peer its best throughput.
  const [shutdown] = initializePollingMessageListener(config, handler, getDisabledLogger(), {
    batchSizeStrategy: async () => BATCH_SIZE,
  });

  await done;
  const ms = performance.now() - start;
  clearTimeout(timer);
  await shutdown();
  await producer.disconnect();
  return { sent, ms };
}

/** pg-transactional-outbox's polling listener against the relay on the same backlog shape. */
export async function measurePeer(settings: BenchSettings, log: (line: string) => void): Promise<PeerMeasure> {
  const rows = settings.peerRows;
  const db = await createTestDatabase('postgres', 'ks_bench_peer');
  let peer: { sent: number; ms: number };
  try {
    await setUpPeerTable(db.knex, new URL(db.url).pathname.slice(1), rows, settings);
    peer = await runPeer(db.url, rows, settings.processDrainMs);
  } finally {
    await db.destroy();
  }
  const peerRate = (peer.sent / peer.ms) * 1000;
  log(`peer: ${Math.round(peerRate)} msg/s (${peer.sent} of ${rows} messages)`);

  const relayRate = await measureRelayRate('postgres', rows, settings, log);
  log(`relay on the same backlog: ${Math.round(relayRate)} msg/s`);
  return { rows, peerRate, relayRate, peerFinished: peer.sent >= rows, relayVsPeer: relayRate / peerRate };
}
