import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { freePort } from '../../../dev/process/spawn-service';
import { fetchRetryingOnce, mayRetry } from './mcp-retry';

const failure = (cause: object) => new TypeError('fetch failed', { cause });
const call = (...methods: string[]) => ({ methods, httpMethod: 'POST' });
const WRITTEN = { socket: { bytesWritten: 1_763 } };

describe('mayRetry', () => {
  it.each([
    ['a refused connection', call('tools/call'), { code: 'ECONNREFUSED' }],
    ['a connect timeout', call('tools/call'), { code: 'UND_ERR_CONNECT_TIMEOUT' }],
    ['an unknown host', call('tools/call'), { code: 'ENOTFOUND' }],
    [
      'a connection closed before a byte of it was written',
      call('tools/call'),
      { code: 'UND_ERR_SOCKET', socket: { bytesWritten: 0 } },
    ],
    ['a reset tools/list', call('tools/list'), { code: 'UND_ERR_SOCKET', ...WRITTEN }],
    ['a reset initialize', call('initialize'), { code: 'ECONNRESET' }],
    ['a reset batch of idempotent messages', call('initialize', 'ping'), { code: 'EPIPE' }],
    ['a reset GET of the event stream', { methods: [], httpMethod: 'GET' }, { code: 'ECONNRESET' }],
  ])('sends again %s', (_case, request, cause) => {
    expect(mayRetry(request, failure(cause))).toBe(true);
  });

  it.each([
    [
      'a tools/call reset after it was written',
      call('tools/call'),
      { code: 'UND_ERR_SOCKET', ...WRITTEN },
    ],
    ['a tools/call whose connection was reset', call('tools/call'), { code: 'ECONNRESET' }],
    ['a tools/call whose connection broke while writing', call('tools/call'), { code: 'EPIPE' }],
    ['a batch holding a tools/call', call('tools/list', 'tools/call'), { code: 'ECONNRESET' }],
    ['a body that is not JSON-RPC', call('?'), { code: 'ECONNRESET' }],
    ['a reset POST with no message', { methods: [], httpMethod: 'POST' }, { code: 'ECONNRESET' }],
    ['a failure that names no cause (our own deadline)', call('tools/list'), {}],
    ['a failure of another kind', call('tools/list'), { code: 'UND_ERR_HEADERS_TIMEOUT' }],
  ])('never sends again %s', (_case, request, cause) => {
    expect(mayRetry(request, failure(cause))).toBe(false);
  });
});

/** A server that drops the connection of the first `drop` requests it reads, unanswered. */
async function startDroppingServer(drop: number) {
  const bodies: string[] = [];
  const server: Server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      bodies.push(body);
      if (bodies.length <= drop) request.socket.destroy();
      else response.end('{"jsonrpc":"2.0","id":1,"result":{}}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`;
  return {
    url,
    bodies,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const post = (method: string, signal?: AbortSignal) => ({
  method: 'POST',
  body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params: {} }),
  signal,
});

describe('fetchRetryingOnce', () => {
  let attempts: number;
  const counting = fetchRetryingOnce((url, init) => {
    attempts += 1;
    return fetch(url, init);
  });
  beforeEach(() => (attempts = 0));

  it('sends tools/list again, on a new connection, when the server drops the first', async () => {
    const server = await startDroppingServer(1);
    try {
      const response = await counting(server.url, post('tools/list'));
      expect(response.status).toBe(200);
      expect(server.bodies).toHaveLength(2);
    } finally {
      await server.stop();
    }
  });

  it('does not send a tools/call again when its connection broke after it was sent: it may have run', async () => {
    const server = await startDroppingServer(1);
    try {
      const error = await counting(server.url, post('tools/call')).catch((reason) => reason);
      expect(error.message).toBe('fetch failed');
      expect(['UND_ERR_SOCKET', 'ECONNRESET']).toContain(error.cause.code);
      expect(server.bodies).toHaveLength(1);
      expect(attempts).toBe(1);
    } finally {
      await server.stop();
    }
  });

  it('sends a tools/call again when the connection was refused, and fails with the refusal', async () => {
    const url = `http://127.0.0.1:${await freePort()}/mcp`;
    const error = await counting(url, post('tools/call')).catch((reason) => reason);
    expect(error.cause.code).toBe('ECONNREFUSED');
    expect(attempts).toBe(2);
  });

  it('does not send a cancelled request again', async () => {
    const url = `http://127.0.0.1:${await freePort()}/mcp`;
    await expect(counting(url, post('tools/list', AbortSignal.abort()))).rejects.toThrow();
    expect(attempts).toBe(1);
  });
});
