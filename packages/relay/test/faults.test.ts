import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_DIALECTS, type TestDialect } from '../../../test/support/databases.js';
import { brokers } from '../../../test/support/kafka.js';
import { RelayChild } from './support/child-process.js';
import { FAULT_BROKER_IDLE_MS, FaultBroker } from './support/fault-broker.js';
import { createOutboxDatabase, insertMany, insertRows, outboxCount, outboxRows, waitFor } from './support/outbox.js';
import { testRelay } from './support/relays.js';
import { createScenario, destroyScenario, type Scenario } from './support/scenario.js';

// Faults need a broker of their own: its advertised address is a proxy that can
// reset, delay or cut connections, and it closes idle connections after 10 s.
const broker = new FaultBroker();
const POLL_MS = 200;
/** Grace period of the relays stopped by SIGTERM. */
const GRACE_MS = 8000;

beforeAll(async () => {
  await broker.start();
}, 120_000);

afterAll(async () => {
  await broker.stop();
});

describe.each(ALL_DIALECTS)('per-key order under retries on %s', (dialect) => {
  let scenario: Scenario | undefined;

  afterAll(async () => {
    await destroyScenario(scenario);
  });

  it('keeps the order of key 42 when the first request is lost', async () => {
    const topic = await broker.createTopic('relay-o5');
    scenario = await createScenario(dialect, 'ks_relay_o5', {
      kafka: { brokers: broker.brokers, clientId: 'relay-o5', connectionTimeoutMs: 2000 },
      pollIntervalMs: POLL_MS,
    });
    const { db, relay } = scenario;

    for (const v of [1, 2, 3]) {
      await db.knex.transaction((trx) => insertRows(trx, [{ topic, key: '42', payload: `{"id":42,"v":${v}}` }]));
    }
    await insertMany(
      db.knex,
      Array.from({ length: 50 }, (_, n) => ({ topic, key: `other-${n % 7}`, payload: `{"n":${n}}` })),
    );

    broker.proxy.dropNextProduce(1);
    const before = broker.proxy.produceRequests;
    await relay.start();
    await waitFor('the outbox to empty', async () => (await outboxCount(db.knex)) === 0, 30_000);
    expect(broker.proxy.produceRequests - before).toBeGreaterThanOrEqual(2);

    const messages = await broker.readTopic(topic, 53);
    const forKey = messages
      .filter((m) => m.key === '42')
      .sort((a, b) => a.offset - b.offset)
      .map((m) => JSON.parse(m.value?.toString() ?? '{}').v as number);
    const firstAppearances = forKey.filter((v, index) => forKey.indexOf(v) === index);
    expect(firstAppearances).toEqual([1, 2, 3]);
    expect(forKey[forKey.length - 1]).toBe(3);
    expect(new Set(messages.map((m) => m.headers['outbox-id'])).size).toBe(53);
  });
});

describe('broker connection lost', () => {
  const scenarios: Scenario[] = [];

  afterAll(async () => {
    await Promise.all(scenarios.map((scenario) => destroyScenario(scenario)));
  });

  it('publishes after the broker closed idle connections', async () => {
    const topic = await broker.createTopic('relay-o7a');
    for (const dialect of ALL_DIALECTS) {
      scenarios.push(
        await createScenario(dialect, 'ks_relay_o7a', {
          kafka: { brokers: broker.brokers, clientId: `relay-o7a-${dialect}`, connectionTimeoutMs: 2000 },
          pollIntervalMs: POLL_MS,
        }),
      );
    }
    for (const { db, relay } of scenarios) {
      await insertRows(db.knex, [{ topic, key: 'warm-up' }]);
      await relay.start();
      await waitFor('the warm-up row', async () => (await outboxCount(db.knex)) === 0);
    }

    // The relays keep polling the outbox while the broker closes their idle connections
    // (connections.max.idle.ms); the row is inserted once every connection is gone.
    const closedBefore = broker.proxy.brokerClosedConnections;
    const idleStart = Date.now();
    await waitFor(
      'the broker to close the idle connections',
      () => broker.proxy.brokerClosedConnections > closedBefore && broker.proxy.openConnections === 0,
      FAULT_BROKER_IDLE_MS + 15_000,
    );
    expect(Date.now() - idleStart).toBeGreaterThanOrEqual(FAULT_BROKER_IDLE_MS - 1000);

    const insertedAt = Date.now();
    await Promise.all(scenarios.map(({ db }) => insertRows(db.knex, [{ topic, key: 'after-idle' }])));
    const latencies = await Promise.all(
      scenarios.map(async ({ db }) => {
        await waitFor('the row after idling', async () => (await outboxCount(db.knex)) === 0, 20_000);
        return Date.now() - insertedAt;
      }),
    );
    for (const latency of latencies) expect(latency).toBeLessThan(POLL_MS + 5000);
  }, 60_000);
});

describe('broker outage', () => {
  let scenario: Scenario | undefined;

  afterAll(async () => {
    broker.proxy.mode = 'forward';
    await destroyScenario(scenario);
  });

  it('retries past maxAttempts without parking', async () => {
    const topic = await broker.createTopic('relay-outage');
    scenario = await createScenario('postgres', 'ks_relay_outage', {
      kafka: { brokers: broker.brokers, clientId: 'relay-outage', connectionTimeoutMs: 500, requestTimeoutMs: 1000 },
      pollIntervalMs: POLL_MS,
      retry: { initialDelayMs: 50, factor: 1, maxDelayMs: 50, maxAttempts: 2 },
    });
    const { db, relay } = scenario;
    await insertRows(db.knex, [{ topic, key: 'warm-up' }]);
    await relay.start();
    await waitFor('the warm-up row', async () => (await outboxCount(db.knex)) === 0);

    broker.proxy.mode = 'refuse';
    broker.proxy.resetAll();
    await insertRows(db.knex, [{ topic, key: 'during-outage' }]);
    await waitFor(
      'attempts past maxAttempts',
      async () => (await outboxRows(db.knex)).some((row) => Number(row.attempts) > 2),
      45_000,
    );

    const rows = await outboxRows(db.knex);
    expect(rows.filter((row) => row.parked_at !== null)).toEqual([]);

    broker.proxy.mode = 'forward';
    await waitFor('the outbox to empty after the outage', async () => (await outboxCount(db.knex)) === 0, 45_000);
  }, 120_000);
});

describe('lease renewal', () => {
  const scenarios: Scenario[] = [];

  afterAll(async () => {
    broker.proxy.latencyMs = 0;
    await Promise.all(scenarios.map((scenario) => destroyScenario(scenario)));
  });

  it('keeps the rows of a slow relay', async () => {
    const topic = await broker.createTopic('relay-lease');
    const takeoverMs = 1000;
    const relayOptions = (name: string) => ({
      kafka: { brokers: broker.brokers, clientId: name, connectionTimeoutMs: 5000 },
      pollIntervalMs: 100,
      takeoverMs,
      relayId: name,
    });
    for (const dialect of ALL_DIALECTS) scenarios.push(await createScenario(dialect, 'ks_relay_lease', relayOptions(`slow-${dialect}`)));

    // Connect first: an empty cycle connects the producer without claiming anything.
    for (const { relay } of scenarios) await relay.runOnce();
    const idsByScenario = await Promise.all(
      scenarios.map(({ db }) => insertRows(db.knex, Array.from({ length: 5 }, (_, n) => ({ topic, key: `k${n}` })))),
    );
    // A round trip takes 3 s, three times the lease, so only renewals keep the claim.
    broker.proxy.latencyMs = 1500;
    const publishing = scenarios.map(({ relay }) => relay.runOnce());
    for (const { db } of scenarios) {
      await waitFor('the slow relay to claim its rows', async () => (await outboxRows(db.knex)).every((row) => row.claim_id !== null));
    }

    // Rival relays poll the same outboxes for three lease lengths, as a second relay would.
    const rivals = scenarios.map(({ db }) => testRelay(db, { ...relayOptions('rival'), kafka: { brokers: brokers() } }));
    const rivalClaims = rivals.map(() => 0);
    for (const [index, rival] of rivals.entries()) {
      rival.on('batch', (summary) => {
        rivalClaims[index] = (rivalClaims[index] ?? 0) + summary.rows;
      });
      await rival.start();
    }
    const rivalsUntil = Date.now() + 3 * takeoverMs;
    await waitFor('three lease lengths', () => Date.now() >= rivalsUntil);
    await Promise.all(rivals.map((rival) => rival.stop()));
    const summaries = await Promise.all(publishing);

    expect(rivalClaims).toEqual([0, 0, 0]);
    for (const summary of summaries) expect(summary.published).toBe(5);
    broker.proxy.latencyMs = 0;
    const messages = await broker.readTopic(topic);
    expect(messages).toHaveLength(15);
    for (const ids of idsByScenario) expect(ids).toHaveLength(5);
  }, 60_000);
});

describe.each(ALL_DIALECTS)('poll loop on %s', (dialect) => {
  // The poll interval is far longer than any test here: a row published within
  // PROMPT_MS was claimed without waiting for the interval.
  const IDLE_MS = 120_000;
  const PROMPT_MS = 30_000;
  let scenario: Scenario | undefined;

  afterAll(async () => {
    broker.proxy.latencyMs = 0;
    await destroyScenario(scenario);
  });

  async function insertDuringSlowBatch(maxBatchesInFlight: number, prefix: string) {
    const topic = await broker.createTopic(prefix);
    scenario = await createScenario(dialect, `ks_${prefix.replace(/-/g, '_')}`, {
      kafka: { brokers: broker.brokers, clientId: prefix, connectionTimeoutMs: 5000 },
      pollIntervalMs: IDLE_MS,
      batchSize: 10,
      maxBatchesInFlight,
    });
    const { db, relay } = scenario;
    const [first] = await insertRows(db.knex, [{ topic, key: 'a' }]);

    // Every request takes at least 1.2 s, so the first batch is still in flight
    // when the second row commits.
    broker.proxy.latencyMs = 600;
    await relay.start();
    await waitFor('the first row to be claimed', async () =>
      (await outboxRows(db.knex)).some((row) => row.id === first && row.claim_id !== null),
    30_000);
    const [second] = await insertRows(db.knex, [{ topic, key: 'a' }]);

    await waitFor('the outbox to empty', async () => (await outboxCount(db.knex)) === 0, PROMPT_MS);
    broker.proxy.latencyMs = 0;
    const ids = (await broker.readTopic(topic, 2)).map((m) => m.headers['outbox-id']);
    expect(ids).toEqual([first, second]);
    await destroyScenario(scenario);
    scenario = undefined;
  }

  it('re-polls after a partial batch', async () => {
    await insertDuringSlowBatch(1, `relay-repoll-${dialect}`);
  }, 90_000);

  it('wakes when the batch in flight ends', async () => {
    await insertDuringSlowBatch(2, `relay-wake-${dialect}`);
  }, 90_000);
});

describe('SIGTERM with a batch in flight', () => {
  async function stopDuringSlowRequest(dialect: TestDialect, topic: string) {
    const db = await createOutboxDatabase(dialect, 'ks_relay_o8');
    const child = new RelayChild({
      database: { client: db.config.client, connection: db.config.connection },
      brokers: broker.brokers,
      relayId: `relay-o8-${dialect}`,
      takeoverMs: 30_000,
      pollIntervalMs: POLL_MS,
      graceMs: GRACE_MS,
    });
    try {
      const [warmUp] = await insertRows(db.knex, [{ topic, key: 'warm-up' }]);
      await waitFor(
        'the warm-up row',
        () => child.events.some((e) => e.event === 'published' && e.ids?.includes(warmUp as string)),
        45_000,
      );
      return { db, child };
    } catch (error) {
      child.kill('SIGKILL');
      await db.destroy();
      throw error;
    }
  }

  it('exits 0 within the grace period and loses no row', async () => {
    const topic = await broker.createTopic('relay-o8');
    const runs = await Promise.all(ALL_DIALECTS.map((dialect) => stopDuringSlowRequest(dialect, topic)));
    try {
      broker.proxy.latencyMs = 2500;
      // Counted before the inserts: a relay may claim and send its rows while the
      // other databases are still inserting, and the proxy counts a request on arrival.
      const requestsBefore = broker.proxy.produceRequests;
      const idsByRun = await Promise.all(
        runs.map(({ db }) => insertRows(db.knex, Array.from({ length: 20 }, (_, n) => ({ topic, key: `k${n % 4}` })))),
      );
      await Promise.all(runs.map(({ child }) => child.waitForEvent('claimed', 10_000)));
      await waitFor('produce requests in flight', () => broker.proxy.produceRequests >= requestsBefore + runs.length);

      const signalledAt = Date.now();
      for (const { child } of runs) child.kill('SIGTERM');
      await Promise.all(runs.map(({ child }) => child.waitForEvent('stopping')));
      const late = await Promise.all(runs.map(({ db }) => insertRows(db.knex, [{ topic, key: 'late' }])));

      const exits = await Promise.all(runs.map(({ child }) => child.exited));
      const stopMs = Date.now() - signalledAt;
      for (const exit of exits) expect(exit).toEqual({ code: 0, signal: null });
      expect(stopMs).toBeLessThan(GRACE_MS + 3000);

      broker.proxy.latencyMs = 0;
      const onTopic = new Set((await broker.readTopic(topic)).map((m) => m.headers['outbox-id']));
      for (const [index, { db }] of runs.entries()) {
        const left = await outboxRows(db.knex);
        const leftIds = new Set(left.map((row) => row.id));
        // The row inserted after SIGTERM was never claimed: no poll started after it.
        expect(left.find((row) => row.id === late[index]?.[0])?.claim_id).toBeNull();
        for (const id of idsByRun[index] ?? []) expect(leftIds.has(id) || onTopic.has(id)).toBe(true);
      }
    } finally {
      broker.proxy.latencyMs = 0;
      for (const { child } of runs) child.kill('SIGKILL');
      await Promise.all(runs.map(({ db }) => db.destroy()));
    }
  }, 60_000);

  it('exits 0 when the broker cannot be reached', async () => {
    const topic = await broker.createTopic('relay-o8b');
    const runs = await Promise.all(ALL_DIALECTS.map((dialect) => stopDuringSlowRequest(dialect, topic)));
    try {
      broker.proxy.mode = 'refuse';
      broker.proxy.resetAll();
      const idsByRun = await Promise.all(
        runs.map(({ db }) => insertRows(db.knex, Array.from({ length: 20 }, (_, n) => ({ topic, key: `k${n % 4}` })))),
      );
      await Promise.all(runs.map(({ child }) => child.waitForEvent('claimed', 10_000)));

      const signalledAt = Date.now();
      for (const { child } of runs) child.kill('SIGTERM');
      const exits = await Promise.all(runs.map(({ child }) => child.exited));
      expect(Date.now() - signalledAt).toBeLessThan(GRACE_MS + 3000);
      for (const exit of exits) expect(exit).toEqual({ code: 0, signal: null });

      for (const [index, { db }] of runs.entries()) {
        const left = new Set((await outboxRows(db.knex)).map((row) => row.id));
        for (const id of idsByRun[index] ?? []) expect(left.has(id)).toBe(true);
      }
    } finally {
      broker.proxy.mode = 'forward';
      for (const { child } of runs) child.kill('SIGKILL');
      await Promise.all(runs.map(({ db }) => db.destroy()));
    }
  }, 60_000);
});
