import net from 'node:net';

/**
 * What came back on a raw connection: the bytes as text, the statuses in order, and whether the
 * server closed it.
 */
export interface RawExchange {
  text: string;
  statuses: number[];
  closedByServer: boolean;
  /** Milliseconds from the first byte written to the server's close (or to the wait's end). */
  elapsedMs: number;
  /** Bytes of the request the socket accepted before it was closed. */
  bytesWritten: number;
}

export interface RawExchangeOptions {
  /** Called once connected; write the request (or keep writing) on the socket. */
  write: (socket: net.Socket) => void;
  /** Stop waiting once this holds for what came back so far (else wait for the close). */
  until?: (text: string) => boolean;
  timeoutMs?: number;
}

/**
 * One TCP connection to `url`'s host and port, for what an HTTP client library will not send:
 * malformed requests, lying headers, pipelined floods, endless bodies.
 */
export function rawExchange(
  url: string,
  { write, until, timeoutMs = 5_000 }: RawExchangeOptions,
): Promise<RawExchange> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect(Number(port), hostname);
    const started = performance.now();
    let text = '';
    const done = (closedByServer: boolean) => {
      clearTimeout(timer);
      const statuses = [...text.matchAll(/HTTP\/1\.1 (\d{3}) /g)].map((match) => Number(match[1]));
      resolve({
        text,
        statuses,
        closedByServer,
        elapsedMs: performance.now() - started,
        bytesWritten: socket.bytesWritten,
      });
      socket.destroy();
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    socket.on('connect', () => write(socket));
    socket.on('data', (chunk) => {
      text += chunk.toString();
      if (until?.(text)) done(false);
    });
    // The server may close while we are still writing: EPIPE / ECONNRESET are part of the answer.
    socket.on('error', () => undefined);
    socket.on('close', () => done(true));
  });
}

/**
 * A client that keeps sending `body` after `head`, as fast as the server takes it, and reads what
 * came back only `readAfterMs` later (a busy client): what it reads, whatever happens to its writes.
 */
export function sendWhileReadingLate(
  url: string,
  head: string,
  body: string | Buffer,
  readAfterMs: number,
): Promise<RawExchange> {
  return rawExchange(url, {
    write: (socket) => {
      socket.pause();
      socket.write(head);
      const pump = () => {
        while (!socket.destroyed && socket.write(body));
      };
      socket.on('drain', pump);
      pump();
      setTimeout(() => socket.resume(), readAfterMs);
    },
    timeoutMs: readAfterMs + 10_000,
  });
}

/** A JSON POST as bytes on the wire. */
export function rawPost(path: string, body: string, headers: Record<string, string> = {}): string {
  const lines = Object.entries({
    Host: 'localhost',
    'Content-Length': String(Buffer.byteLength(body)),
    ...headers,
  }).map(([name, value]) => `${name}: ${value}`);
  return `POST ${path} HTTP/1.1\r\n${lines.join('\r\n')}\r\n\r\n${body}`;
}

/** The JSON body of the first answer in `text`. */
export function firstJsonBody(text: string): unknown {
  const start = text.indexOf('\r\n\r\n');
  const length = Number(/content-length: (\d+)/i.exec(text)?.[1] ?? 0);
  return JSON.parse(text.slice(start + 4, start + 4 + length));
}

/** A TCP connection kept open: write on `socket` when you like, read what came back so far. */
export interface RawConnection {
  readonly socket: net.Socket;
  readonly text: string;
  readonly closed: boolean;
}

/** Opens a connection to `url`'s host and port, for requests written one at a time. */
export async function openRawConnection(url: string): Promise<RawConnection> {
  const { hostname, port } = new URL(url);
  const socket = net.connect(Number(port), hostname);
  await new Promise((resolve) => socket.once('connect', resolve));
  const connection = { socket, text: '', closed: false };
  socket.on('data', (chunk) => (connection.text += chunk.toString()));
  // A reset is part of the answer.
  socket.on('error', () => undefined);
  socket.on('close', () => (connection.closed = true));
  return connection;
}
