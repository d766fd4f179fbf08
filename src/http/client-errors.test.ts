import { createServer, type Server } from 'node:http';
import net from 'node:net';
import { answerClientError } from './client-errors';

let server: Server;
let port: number;
beforeAll(async () => {
  // Short timers, so that Node gives up on a slow client within the test.
  server = createServer(
    { headersTimeout: 200, requestTimeout: 300, connectionsCheckingInterval: 50 },
    (_request, response) => response.end('ok'),
  ).on('clientError', answerClientError);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as net.AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** Writes `request` and collects everything until the server closes the connection. */
function exchange(request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write(request));
    let text = '';
    socket.on('data', (chunk) => (text += chunk.toString()));
    socket.on('close', () => resolve(text));
    socket.on('error', reject);
  });
}

const bodyOf = (text: string) => JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4)) as unknown;

describe('answerClientError', () => {
  it('answers a client too slow to send its headers with JSON 408 client_timeout, and closes', async () => {
    const text = await exchange('GET / HTTP/1.1\r\nHost: localhost\r\n');
    expect(text).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
    expect(text).toMatch(/connection: close/i);
    expect(bodyOf(text)).toEqual({
      error: { code: 'client_timeout', message: expect.any(String) },
    });
  });

  it.each([
    ['a malformed request line', 'NOT HTTP AT ALL\r\n\r\n', 400, 'bad_request'],
    [
      'an invalid header',
      'GET / HTTP/1.1\r\nHost: localhost\r\nBad Header: x\r\n\r\n',
      400,
      'bad_request',
    ],
    [
      'headers over the limit',
      `GET / HTTP/1.1\r\nHost: localhost\r\nX-Padding: ${'a'.repeat(20_000)}\r\n\r\n`,
      431,
      'headers_too_large',
    ],
  ])('answers %s with JSON %d %s', async (_case, request, status, code) => {
    const text = await exchange(request);
    expect(text.startsWith(`HTTP/1.1 ${status} `)).toBe(true);
    expect(bodyOf(text)).toEqual({ error: { code, message: expect.any(String) } });
  });
});
