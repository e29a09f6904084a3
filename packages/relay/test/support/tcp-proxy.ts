import { createConnection, createServer, type Server, type Socket } from 'node:net';

/** Kafka request api key of Produce, the first int16 after a request's length. */
const PRODUCE_API_KEY = 0;

export type ProxyMode =
  /** Pass bytes both ways (with the configured latency). */
  | 'forward'
  /** Accept connections and read requests but forward nothing: a broker that hangs. */
  | 'blackhole'
  /** Accept and reset every new connection at once: a broker that is down. */
  | 'refuse';

/**
 * A TCP proxy on 127.0.0.1 in front of one Kafka broker, for fault tests. It can
 * add latency, reset connections, drop the next Produce request by resetting its
 * connection, and stop forwarding.
 */
export class TcpProxy {
  mode: ProxyMode = 'forward';
  /** Delay in ms added to every chunk in both directions, order kept. */
  latencyMs = 0;
  /** Produce requests seen (forwarded or dropped). */
  produceRequests = 0;
  /** Connections that the broker side closed first (for example after connections.max.idle.ms). */
  brokerClosedConnections = 0;
  private readonly clients = new Set<Socket>();
  private dropProduces = 0;
  private readonly sockets = new Set<Socket>();
  private server: Server | undefined;

  constructor(
    readonly listenPort: number,
    readonly target: { host: string; port: number },
  ) {}

  async start(): Promise<void> {
    const server = createServer((client) => this.accept(client));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.listenPort, '127.0.0.1', () => resolve());
    });
    this.server = server;
  }

  /** Resets the connection that carries each of the next `count` Produce requests, which are not forwarded. */
  dropNextProduce(count = 1): void {
    this.dropProduces = count;
  }

  /** Resets every open connection (RST), as a crashed broker or a middlebox would. */
  resetAll(): void {
    for (const socket of this.sockets) socket.resetAndDestroy();
    this.sockets.clear();
  }

  async close(): Promise<void> {
    this.resetAll();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private track(socket: Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => {});
  }

  /** Client connections currently open through the proxy. */
  get openConnections(): number {
    return this.clients.size;
  }

  private accept(client: Socket): void {
    this.track(client);
    this.clients.add(client);
    client.on('close', () => this.clients.delete(client));
    if (this.mode === 'refuse') {
      client.resetAndDestroy();
      return;
    }
    if (this.mode === 'blackhole') {
      client.on('data', () => {});
      return;
    }

    const upstream = createConnection(this.target);
    this.track(upstream);
    const closeBoth = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('close', closeBoth);
    upstream.on('close', closeBoth);
    upstream.on('end', () => {
      if (!client.destroyed) this.brokerClosedConnections += 1;
    });

    this.pipeRequests(client, upstream);
    upstream.on('data', (chunk: Buffer) => this.deliver(client, chunk));
  }

  /** Forwards client bytes frame by frame, so a Produce request can be recognized and dropped. */
  private pipeRequests(client: Socket, upstream: Socket): void {
    let buffered = Buffer.alloc(0);
    client.on('data', (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      while (buffered.length >= 6) {
        const size = buffered.readInt32BE(0);
        if (buffered.length < 4 + size) break;
        const frame = buffered.subarray(0, 4 + size);
        buffered = buffered.subarray(4 + size);

        if (frame.readInt16BE(4) === PRODUCE_API_KEY) {
          this.produceRequests += 1;
          if (this.dropProduces > 0) {
            this.dropProduces -= 1;
            client.resetAndDestroy();
            upstream.resetAndDestroy();
            return;
          }
        }
        this.deliver(upstream, Buffer.from(frame));
      }
    });
  }

  private deliver(socket: Socket, chunk: Buffer): void {
    if (this.mode === 'blackhole') return;
    if (this.latencyMs === 0) {
      if (!socket.destroyed) socket.write(chunk);
      return;
    }
    setTimeout(() => {
      if (!socket.destroyed) socket.write(chunk);
    }, this.latencyMs);
  }
}
