// Starts the dashboard on a port: loopback unless told otherwise, and never beyond it without a
// token file or users (a random one-time token alone is for one person on one machine).

import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { Web, WebOptions } from './app.js';
import { createWeb } from './app.js';

export interface Serving {
  web: Web;
  url: string;
  port: number;
  close(): Promise<void>;
}

export function isLoopback(address: string): boolean {
  return address === 'localhost' || address === '::1' || /^127\.\d+\.\d+\.\d+$/.test(address);
}

export async function startServer(opts: WebOptions & { port: number; bind: string }): Promise<Serving> {
  const web = createWeb(opts);
  const server = serve({ fetch: web.app.fetch, port: opts.port, hostname: opts.bind });
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const port = (server.address() as AddressInfo).port;
  const host = opts.bind.includes(':') ? `[${opts.bind}]` : opts.bind;
  return {
    web,
    port,
    url: `http://${host}:${port}/`,
    async close() {
      const closed = new Promise<void>((resolve) => {
        server.close(() => resolve());
      });
      // Browsers keep connections open; the server is going, so they go too.
      if ('closeAllConnections' in server) server.closeAllConnections();
      await closed;
      await web.close();
    },
  };
}
