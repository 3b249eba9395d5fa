import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';

/** An app served on 127.0.0.1 at a free port. */
export interface LocalServer {
  server: Server;
  /** e.g. http://127.0.0.1:40123 */
  url: string;
  /** Drops open connections (SSE streams, keep-alive) and stops listening. */
  close(): Promise<void>;
}

/** Serves `app` on 127.0.0.1:0; resolves once it listens. */
export async function listenLocal(app: Express): Promise<LocalServer> {
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
    s.once('error', reject);
  });
  return {
    server,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
