import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { RelayMetrics } from '../metrics/registry.js';
import type { Readiness } from './readiness.js';

export interface HealthServerOptions {
  readonly host: string;
  /** 0 lets the operating system pick a free port; `address()` returns it. */
  readonly port: number;
  readonly metrics: RelayMetrics;
  readonly readiness: Readiness;
  readonly logger: Logger;
}

export interface HealthServer {
  readonly host: string;
  readonly port: number;
  close(): Promise<void>;
}

function send(response: ServerResponse, status: number, contentType: string, body: string): void {
  response.writeHead(status, { 'content-type': contentType, 'cache-control': 'no-store' });
  response.end(body);
}

async function route(request: IncomingMessage, response: ServerResponse, options: HealthServerOptions): Promise<void> {
  const path = (request.url ?? '/').split('?')[0];
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.setHeader('allow', 'GET, HEAD');
    send(response, 405, 'text/plain; charset=utf-8', 'method not allowed\n');
    return;
  }

  if (path === '/healthz') {
    send(response, 200, 'text/plain; charset=utf-8', 'ok\n');
    return;
  }

  if (path === '/readyz') {
    const state = options.readiness.check();
    options.metrics.ready.set(state.ready ? 1 : 0);
    send(response, state.ready ? 200 : 503, 'application/json', `${JSON.stringify(state)}\n`);
    return;
  }

  if (path === '/metrics') {
    options.metrics.ready.set(options.readiness.check().ready ? 1 : 0);
    const registry = options.metrics.registry;
    send(response, 200, registry.contentType, await registry.metrics());
    return;
  }

  send(response, 404, 'text/plain; charset=utf-8', 'not found: try /metrics, /healthz or /readyz\n');
}

/** Starts the HTTP server of /metrics, /healthz and /readyz; resolves once it listens. */
export async function startHealthServer(options: HealthServerOptions): Promise<HealthServer> {
  const server: Server = createServer((request, response) => {
    route(request, response, options).catch((error: unknown) => {
      options.logger.error({ err: error, path: request.url }, 'health server request failed');
      if (!response.headersSent) send(response, 500, 'text/plain; charset=utf-8', 'internal error\n');
      else response.destroy();
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });

  const address = server.address() as AddressInfo;
  return {
    host: address.address,
    port: address.port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error === undefined ? resolve() : reject(error)));
        server.closeAllConnections();
      }),
  };
}
