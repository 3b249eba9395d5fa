import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

/**
 * TCP-level faults for dependency tests: a server that accepts connections and never answers
 * (a partition, a stuck server), and a proxy in front of a real service that can be switched
 * into that state while clients stay connected.
 */
export interface TcpFault {
  /** 127.0.0.1 port to point a client at. */
  readonly port: number;
  close(): Promise<void>;
}

export interface SwitchableProxy extends TcpFault {
  /** From now on bytes in either direction are swallowed; connections stay open. */
  blackhole(): void;
  /** Forward again (new and existing connections). */
  restore(): void;
}

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

function closer(server: Server, sockets: Set<Socket>): () => Promise<void> {
  return async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
}

/** Accepts every connection, reads and discards everything, never writes a byte. */
export async function startBlackhole(): Promise<TcpFault> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('data', () => undefined);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  return { port: await listen(server), close: closer(server, sockets) };
}

/** Forwards to `target` (host:port) until `blackhole()` is called. */
export async function startSwitchableProxy(targetHost: string, targetPort: number): Promise<SwitchableProxy> {
  let holed = false;
  const sockets = new Set<Socket>();
  const track = (s: Socket) => {
    sockets.add(s);
    s.on('error', () => undefined);
    s.on('close', () => sockets.delete(s));
  };
  const server = createServer((client) => {
    const upstream = connect(targetPort, targetHost);
    track(client);
    track(upstream);
    client.on('data', (chunk) => {
      if (!holed) upstream.write(chunk);
    });
    upstream.on('data', (chunk) => {
      if (!holed) client.write(chunk);
    });
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  return {
    port: await listen(server),
    close: closer(server, sockets),
    blackhole: () => {
      holed = true;
    },
    restore: () => {
      holed = false;
    },
  };
}
