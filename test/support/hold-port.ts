import net from 'node:net';

export interface HeldPort {
  readonly port: number;
  release(): Promise<void>;
}

/**
 * Holds a loopback port as another program would (a student's `npm start`, a second copy of a
 * service), so that a test shows it does not need that port. Without a port, any free one. A port
 * another program already holds is taken all the same, which is all the test asks.
 */
export async function holdPort(port = 0): Promise<HeldPort> {
  const server = net.createServer();
  const listening = await new Promise<boolean>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      error.code === 'EADDRINUSE' ? resolve(false) : reject(error),
    );
    server.listen(port, '127.0.0.1', () => resolve(true));
  });
  return {
    port: listening ? (server.address() as net.AddressInfo).port : port,
    release: () =>
      listening ? new Promise((resolve) => server.close(() => resolve())) : Promise.resolve(),
  };
}
