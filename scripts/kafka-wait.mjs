// Waits until a Kafka broker serves metadata: node kafka-wait.mjs HOST:PORT TIMEOUT_S [PID]
// Exits 0 when ready, 1 when the timeout passed or the broker process PID died first.
// Ready also means the group coordinator answers: asking for it creates __consumer_offsets,
// so the first consumer group of a test does not wait for that.
import kafkajs from 'kafkajs';

const { Kafka, logLevel } = kafkajs;
const [address, timeoutArg = '90', pidArg] = process.argv.slice(2);
const deadline = Date.now() + Number(timeoutArg) * 1000;

function alive(pid) {
  if (!pid) return true;
  try {
    process.kill(Number(pid), 0);
    return true;
  } catch {
    return false;
  }
}

async function probe() {
  const kafka = new Kafka({
    clientId: 'kafka-streamer-wait',
    brokers: [address],
    logLevel: logLevel.NOTHING,
    connectionTimeout: 1000,
    requestTimeout: 3000,
    retry: { retries: 0 },
  });
  const admin = kafka.admin();
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    if (cluster.brokers.length === 0 || cluster.controller === null) return false;
    await admin.describeGroups(['kafka-streamer-wait']);
    return true;
  } catch {
    return false;
  } finally {
    await admin.disconnect().catch(() => {});
  }
}

while (Date.now() < deadline) {
  if (!alive(pidArg)) {
    console.error(`kafka-wait: broker process ${pidArg} exited before serving metadata`);
    process.exit(1);
  }
  if (await probe()) process.exit(0);
  await new Promise((resolve) => setTimeout(resolve, 250));
}
console.error(`kafka-wait: no metadata from ${address} within ${timeoutArg}s`);
process.exit(1);
