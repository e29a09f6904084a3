import { createConnection, createServer, type Server, type Socket } from 'node:net';

/** Kafka request api key of Produce: the first int16 after a request's length prefix. */
const PRODUCE_API_KEY = 0;

/**
 * What the proxy does with traffic:
 * - `forward`: pass bytes both ways, after `latencyMs`;
 * - `half-open`: keep every connection open and read the client's requests, but
 *   forward nothing either way, as a peer behind a dead NAT entry would;
 * - `refuse`: reset every new connection at once, as a stopped broker would.
 */
export type ProxyMode = 'forward' | 'half-open' | 'refuse';

interface Pair {
  readonly client: Socket;
  readonly upstream: Socket | undefined;
}

/** A TCP proxy on 127.0.0.1 in front of one broker, which injects network faults. */
export class FaultProxy {
  mode: ProxyMode = 'forward';
  /** Delay in ms added to every chunk in both directions; order is kept. */
  latencyMs = 0;
  /** Produce requests seen, forwarded or dropped. */
  produceRequests = 0;
  /** Connections reset by `resetAll`, `dropNextProduce` or `refuse`. */
  resets = 0;
  private dropProduces = 0;
  private readonly pairs = new Set<Pair>();
  private server: Server | undefined;

  constructor(
    readonly listenPort: number,
    readonly targetPort: number,
  ) {}

  async start(): Promise<void> {
    const server = createServer((client) => this.accept(client));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.listenPort, '127.0.0.1', () => resolve());
    });
    this.server = server;
  }

  /** Resets the connection that carries each of the next `count` Produce requests, without forwarding them. */
  dropNextProduce(count = 1): void {
    this.dropProduces += count;
  }

  /** Resets every open connection (RST), as a crashed peer or a middlebox would. */
  resetAll(): void {
    for (const pair of this.pairs) this.reset(pair);
    this.pairs.clear();
  }

  /** Back to plain forwarding; connections left half-open are reset, as their NAT entry would expire. */
  heal(): void {
    const wasHalfOpen = this.mode === 'half-open';
    this.mode = 'forward';
    this.latencyMs = 0;
    this.dropProduces = 0;
    if (wasHalfOpen) this.resetAll();
  }

  async close(): Promise<void> {
    this.resetAll();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private reset(pair: Pair): void {
    this.resets += 1;
    pair.client.resetAndDestroy();
    pair.upstream?.resetAndDestroy();
  }

  private accept(client: Socket): void {
    client.on('error', () => {});
    if (this.mode === 'refuse') {
      this.resets += 1;
      client.resetAndDestroy();
      return;
    }

    const upstream = createConnection({ host: '127.0.0.1', port: this.targetPort });
    upstream.on('error', () => {});
    const pair: Pair = { client, upstream };
    this.pairs.add(pair);
    const closeBoth = () => {
      this.pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('close', closeBoth);
    upstream.on('close', closeBoth);

    this.forwardRequests(pair, upstream);
    upstream.on('data', (chunk: Buffer) => this.deliver(client, chunk));
  }

  /** Forwards client bytes one request frame at a time, so that Produce requests can be seen and dropped. */
  private forwardRequests(pair: Pair, upstream: Socket): void {
    let buffered = Buffer.alloc(0);
    pair.client.on('data', (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      while (buffered.length >= 6) {
        const size = buffered.readInt32BE(0);
        if (buffered.length < 4 + size) break;
        const frame = Buffer.from(buffered.subarray(0, 4 + size));
        buffered = buffered.subarray(4 + size);

        if (frame.readInt16BE(4) === PRODUCE_API_KEY) {
          this.produceRequests += 1;
          if (this.dropProduces > 0 && this.mode === 'forward') {
            this.dropProduces -= 1;
            this.pairs.delete(pair);
            this.reset(pair);
            return;
          }
        }
        this.deliver(upstream, frame);
      }
    });
  }

  private deliver(socket: Socket, chunk: Buffer): void {
    if (this.mode === 'half-open') return;
    const write = () => {
      if (!socket.destroyed) socket.write(chunk);
    };
    if (this.latencyMs === 0) write();
    else setTimeout(write, this.latencyMs);
  }
}
