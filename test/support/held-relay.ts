import net from 'node:net';

export interface HeldRelay {
  /** Where to connect instead of the target: `http://127.0.0.1:PORT`. */
  readonly url: string;
  /** From now on, every connection, held or new, reaches the target. */
  release(): void;
  close(): Promise<void>;
}

/**
 * A TCP relay to `targetUrl` that accepts connections and holds them, unanswered, until
 * `release()`: a dependency that is slow to answer at first (a tool service still starting).
 */
export async function startHeldRelay(targetUrl: string): Promise<HeldRelay> {
  const target = new URL(targetUrl);
  const sockets = new Set<net.Socket>();
  const held: net.Socket[] = [];
  let released = false;
  const relay = (client: net.Socket) => {
    const upstream = net.connect(Number(target.port), target.hostname);
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    client.pipe(upstream).pipe(client);
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
  };
  const server = net.createServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    if (released) relay(client);
    else held.push(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    release() {
      released = true;
      for (const client of held.splice(0)) if (!client.destroyed) relay(client);
    },
    close() {
      for (const socket of sockets) socket.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
