// A loopback TCP proxy for the mailbox tests: a server that "drops the connection" is this
// proxy cutting every connection it carries (and, while `refusing`, every new one).
import { createServer, connect, type Server, type Socket } from 'node:net';

export interface TcpProxy {
  port: number;
  /** Bytes carried from the server to the client so far. */
  downstreamBytes(): number;
  /** Destroys every open connection, as a server or network failure would. */
  cut(): void;
  /** Cuts once this many more bytes have come down from the server (mid-fetch), then disarms. */
  cutAfterDownstream(bytes: number): void;
  /** Resolves after the next cut. */
  cutDone(): Promise<void>;
  close(): Promise<void>;
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const open = new Set<Socket>();
  let carried = 0;
  let cutAt = Number.POSITIVE_INFINITY;
  const onCut: Array<() => void> = [];
  const cutAll = (): void => {
    [...open].forEach((socket) => socket.destroy());
    onCut.splice(0).forEach((done) => done());
  };
  const server: Server = createServer((client) => {
    const upstream = connect(target.port, target.host);
    open.add(client).add(upstream);
    upstream.on('data', (chunk: Buffer) => {
      carried += chunk.length;
      if (carried >= cutAt) {
        cutAt = Number.POSITIVE_INFINITY;
        cutAll();
      }
    });
    client.pipe(upstream).pipe(client);
    const end = (): void => {
      client.destroy();
      upstream.destroy();
      open.delete(client);
      open.delete(upstream);
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : 0,
    downstreamBytes: () => carried,
    cut: cutAll,
    cutAfterDownstream: (bytes) => (cutAt = carried + bytes),
    cutDone: () => new Promise<void>((resolve) => onCut.push(resolve)),
    close: async () => {
      [...open].forEach((socket) => socket.destroy());
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
