import { randomBytes } from 'node:crypto';
import type { Socket } from 'node:net';
import { gzipSync } from 'node:zlib';
import { startOtlpReceiver, type OtlpReceiver } from '../../dev/otlp/receiver';
import { startGeminiEmulator, type GeminiEmulator } from '../../src/emulator/emulator-server';
import { parsePrometheusText, sumOf } from '../support/prometheus-text';
import { LIMITS } from '../../src/limits';
import { firstJsonBody, rawExchange, rawPost, sendWhileReadingLate } from '../support/raw-http';
import { until } from '../support/until';
import {
  freePort,
  spawnService,
  stopAllServices,
  type SpawnedService,
} from '../support/spawn-service';

/**
 * What reaches the server's edge before the app: raw sockets, because no HTTP client sends these.
 */

const EXECUTE = '/api/v1/agent/execute';
const TASK = JSON.stringify({ task: 'Calculate 2 + 2' });
const JSON_TYPE = { 'Content-Type': 'application/json' };
const LIMIT_BYTES = 64 * 1024;

let emulator: GeminiEmulator;
let receiver: OtlpReceiver;
let service: SpawnedService;
beforeAll(async () => {
  emulator = await startGeminiEmulator();
  receiver = await startOtlpReceiver();
  service = await spawnService({
    env: {
      GEMINI_BASE_URL: emulator.url,
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
      OTEL_BSP_SCHEDULE_DELAY: '50',
    },
  });
});
afterAll(async () => {
  await stopAllServices();
  await receiver.stop();
  await emulator.close();
});

/** One request, `Connection: close`, everything the server answered. */
const exchange = (request: string) =>
  rawExchange(service.url, { write: (socket) => socket.write(request) });
const post = (body: string, headers: Record<string, string>) =>
  exchange(rawPost(EXECUTE, body, { ...headers, Connection: 'close' }));

/**
 * A chunked body that never ends, written as fast as the server takes it, after `head` (the request
 * line and headers).
 */
function writeEndlessBody(socket: Socket, head: string): void {
  const chunk = `${LIMIT_BYTES.toString(16)}\r\n${'a'.repeat(LIMIT_BYTES)}\r\n`;
  socket.write(`${head}Transfer-Encoding: chunked\r\n\r\n`);
  const pump = () => {
    while (!socket.destroyed && socket.write(chunk));
  };
  socket.on('drain', pump);
  pump();
}

describe('a body over the 64 kB limit', () => {
  it('answers 413 payload_too_large at once and closes the connection when Content-Length declares it', async () => {
    const answer = await rawExchange(service.url, {
      write: (socket) =>
        socket.write(
          rawPost(EXECUTE, '', { ...JSON_TYPE, 'Content-Length': '10000000000' }) + '{"task":',
        ),
    });
    expect(answer.statuses).toEqual([413]);
    expect(firstJsonBody(answer.text)).toEqual({
      error: { code: 'payload_too_large', message: expect.stringContaining('65536') },
    });
    expect(answer.closedByServer).toBe(true);
    // Closed without lingering for the rest of a body that will not come.
    expect(answer.elapsedMs).toBeLessThan(LIMITS.closeLingerMs - 1_000);
  });

  it('cuts a chunked body as soon as it passes the limit: 413, and the connection closed', async () => {
    const answer = await rawExchange(service.url, {
      write: (socket) =>
        writeEndlessBody(
          socket,
          `POST ${EXECUTE} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n`,
        ),
    });
    expect(answer.statuses).toEqual([413]);
    // Closed once the client has had time to read the 413 (LIMITS.closeLingerMs), never reset
    // before: it was, and under load the client sometimes read no status at all.
    expect(answer.closedByServer).toBe(true);
    // Before: gigabytes were read and nothing answered. Now at most LIMITS.lingerMaxBytes more,
    // plus what the kernel's buffers hold.
    expect(answer.bytesWritten).toBeLessThan(64 * 1024 * 1024);
  });

  it.each([
    [
      'a chunked body that passes the limit',
      `POST ${EXECUTE} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n`,
      `${LIMIT_BYTES.toString(16)}\r\n${'a'.repeat(LIMIT_BYTES)}\r\n`,
    ],
    [
      'a declared length over the limit',
      rawPost(EXECUTE, '', { ...JSON_TYPE, 'Content-Length': '10000000000' }),
      'a'.repeat(LIMIT_BYTES),
    ],
  ])(
    'lets a client still sending %s read the 413 before the connection closes',
    async (_case, head, body) => {
      // Before: Node destroyed the connection as soon as the 413 was written, with the client's
      // data unread: a reset, and this client's writes failed before it read anything.
      const answer = await sendWhileReadingLate(service.url, head, body, 300);
      expect(answer.statuses).toEqual([413]);
      expect(answer.closedByServer).toBe(true);
    },
  );

  it('starts nothing pipelined behind a body it cut', async () => {
    const modelCallsBefore = emulator.requests.length;
    const answer = await exchange(
      rawPost(EXECUTE, 'a'.repeat(LIMIT_BYTES + 1), JSON_TYPE) + rawPost(EXECUTE, TASK, JSON_TYPE),
    );
    expect(answer.statuses).toEqual([413]);
    expect(answer.closedByServer).toBe(true);
    expect(emulator.requests.length).toBe(modelCallsBefore);
  });

  it('closes the connection when it answers before the body has arrived, instead of reading the rest', async () => {
    const answer = await rawExchange(service.url, {
      write: (socket) =>
        writeEndlessBody(socket, 'POST /no-such-route HTTP/1.1\r\nHost: localhost\r\n'),
    });
    expect(answer.statuses).toEqual([404]);
    expect(answer.closedByServer).toBe(true);
    // The body never ends: the server reads at most LIMITS.lingerMaxBytes of it after answering.
    expect(answer.bytesWritten).toBeLessThan(64 * 1024 * 1024);
  });
});

describe('charsets and content encodings', () => {
  it.each(['utf-8', 'utf8', 'us-ascii', 'UTF-8'])(
    'accepts a JSON body in charset %s',
    async (charset) => {
      const answer = await post(TASK, { 'Content-Type': `application/json; charset=${charset}` });
      expect(answer.statuses).toEqual([200]);
    },
  );

  it.each(['utf-16', 'utf-16le', 'utf-32', 'utf-7', 'iso-8859-1'])(
    'answers 415 unsupported_encoding for charset %s',
    async (charset) => {
      const answer = await post(TASK, { 'Content-Type': `application/json; charset=${charset}` });
      expect(answer.statuses).toEqual([415]);
      expect(firstJsonBody(answer.text)).toEqual({
        error: { code: 'unsupported_encoding', message: expect.stringContaining(charset) },
      });
    },
  );

  it.each([
    ['a corrupt gzip body', 'gzip', Buffer.from('this is not gzip')],
    ['a valid gzip body', 'gzip', gzipSync(TASK)],
    ['a deflate body', 'deflate', Buffer.from('x')],
    ['a brotli body', 'br', Buffer.from('x')],
  ])('answers 415 unsupported_encoding for %s', async (_case, encoding, body) => {
    const head = rawPost(EXECUTE, '', {
      ...JSON_TYPE,
      'Content-Encoding': encoding,
      'Content-Length': String(body.length),
      Connection: 'close',
    });
    const answer = await rawExchange(service.url, {
      write: (socket) => socket.write(Buffer.concat([Buffer.from(head), body])),
    });
    expect(answer.statuses).toEqual([415]);
    expect(firstJsonBody(answer.text)).toEqual({
      error: { code: 'unsupported_encoding', message: expect.stringContaining(encoding) },
    });
  });

  it('answers 400 invalid_json for a body that is not valid UTF-8', async () => {
    const head = rawPost(EXECUTE, '', {
      ...JSON_TYPE,
      'Content-Length': '14',
      Connection: 'close',
    });
    const body = Buffer.concat([
      Buffer.from('{"task":"'),
      Buffer.from([0xc3, 0x28, 0xff]),
      Buffer.from('"}'),
    ]);
    const answer = await rawExchange(service.url, {
      write: (socket) => socket.write(Buffer.concat([Buffer.from(head), body])),
    });
    expect(answer.statuses).toEqual([400]);
    expect(firstJsonBody(answer.text)).toEqual({
      error: { code: 'invalid_json', message: expect.stringContaining('UTF-8') },
    });
  });
});

describe("Node's own answers", () => {
  it('answers a malformed request line with JSON 400 bad_request and closes the connection', async () => {
    const answer = await exchange('GARBAGE / NOT-HTTP\r\n\r\n');
    expect(answer.statuses).toEqual([400]);
    expect(answer.text).toMatch(/content-type: application\/json/i);
    expect(firstJsonBody(answer.text)).toEqual({
      error: { code: 'bad_request', message: expect.any(String) },
    });
    expect(answer.closedByServer).toBe(true);
  });

  it('answers headers over the limit with JSON 431 headers_too_large', async () => {
    const answer = await exchange(
      `GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Padding: ${'a'.repeat(20_000)}\r\n\r\n`,
    );
    expect(answer.statuses).toEqual([431]);
    expect(firstJsonBody(answer.text)).toEqual({
      error: { code: 'headers_too_large', message: expect.any(String) },
    });
  });
});

describe('requests Node used to answer itself', () => {
  /** The trace id an answer names, and the server span of that trace once exported. */
  async function serverSpanOf(text: string) {
    const traceId = /x-trace-id: ([0-9a-f]{32})/i.exec(text)?.[1];
    expect(traceId).toBeDefined();
    await receiver.waitFor((spans) => spans.some((span) => span.traceId === traceId), {
      description: `the span of trace ${traceId}`,
    });
    return receiver.spansOfTrace(traceId!).find((span) => span.kind === 'SERVER');
  }

  it.each([
    ['a GET', 'GET /no-such-route HTTP/1.1\r\n\r\n'],
    ['a POST', rawPost(EXECUTE, TASK, { ...JSON_TYPE, Host: '' }).replace('Host: \r\n', '')],
  ])(
    'answers %s without Host with JSON 400 bad_request, traced, and closes',
    async (_case, request) => {
      const answer = await exchange(request);
      // Before: Node's own 400, with no body but an empty chunk, and no trace.
      expect(answer.statuses).toEqual([400]);
      expect(firstJsonBody(answer.text)).toEqual({
        error: { code: 'bad_request', message: expect.stringContaining('Host') },
      });
      expect(answer.closedByServer).toBe(true);
      expect(await serverSpanOf(answer.text)).toEqual(
        expect.objectContaining({
          attributes: expect.objectContaining({ 'http.response.status_code': 400 }),
        }),
      );
    },
  );

  it('answers an expectation other than 100-continue with JSON 417 expectation_failed, traced', async () => {
    const answer = await exchange(
      rawPost(EXECUTE, TASK, { ...JSON_TYPE, Expect: 'something-else', Connection: 'close' }),
    );
    // Before: Node's own 417, plain and untraced.
    expect(answer.statuses).toEqual([417]);
    expect(firstJsonBody(answer.text)).toEqual({
      error: { code: 'expectation_failed', message: expect.stringContaining('100-continue') },
    });
    expect(answer.closedByServer).toBe(true);
    expect(await serverSpanOf(answer.text)).toBeDefined();
  });

  it('refuses CONNECT with JSON 405, where Node closed the connection without a word', async () => {
    const answer = await exchange(
      'CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n',
    );
    expect(answer.statuses).toEqual([405]);
    expect(firstJsonBody(answer.text)).toEqual({
      error: { code: 'method_not_allowed', message: expect.stringContaining('proxy') },
    });
    expect(answer.closedByServer).toBe(true);
  });
});

describe('pipelined requests', () => {
  it('starts one run per connection: a request pipelined behind it gets 503 overloaded with Retry-After, traced, and the connection closes', async () => {
    const modelCallsBefore = emulator.requests.length;
    const answer = await rawExchange(service.url, {
      write: (socket) => socket.write(rawPost(EXECUTE, TASK, JSON_TYPE).repeat(300)),
    });
    expect(answer.statuses).toEqual([200, 503]);
    expect(answer.closedByServer).toBe(true);
    expect(answer.text).toMatch(/retry-after: 1\r\n/i);
    expect(answer.text).toContain('"code":"overloaded"');
    // One run: its two model calls. Before, all 300 ran at once.
    expect(emulator.requests.length - modelCallsBefore).toBe(2);
    const traceId = [...answer.text.matchAll(/x-trace-id: ([0-9a-f]{32})/gi)][1]?.[1];
    await receiver.waitFor((spans) => spans.some((span) => span.traceId === traceId), {
      description: 'the span of the refused request',
    });
    expect(receiver.spansOfTrace(traceId!)).toEqual([
      expect.objectContaining({
        kind: 'SERVER',
        status: expect.objectContaining({ code: 'ERROR' }),
        attributes: expect.objectContaining({ 'http.response.status_code': 503 }),
      }),
    ]);
  });
});

describe('runs in flight', () => {
  let slowModel: GeminiEmulator;
  let limited: SpawnedService;
  let metricsUrl: string;
  beforeAll(async () => {
    slowModel = await startGeminiEmulator({ latencyMs: 500 });
    const metricsPort = await freePort();
    metricsUrl = `http://127.0.0.1:${metricsPort}/metrics`;
    limited = await spawnService({
      env: {
        GEMINI_BASE_URL: slowModel.url,
        MAX_CONCURRENT_RUNS: '2',
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
        OTEL_BSP_SCHEDULE_DELAY: '50',
        OTEL_METRICS_EXPORTER: 'prometheus',
        OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1',
        OTEL_EXPORTER_PROMETHEUS_PORT: String(metricsPort),
      },
    });
  });
  afterAll(async () => {
    await limited.stop();
    await slowModel.close();
  });

  const execute = () =>
    fetch(`${limited.url}${EXECUTE}`, { method: 'POST', headers: JSON_TYPE, body: TASK });

  /**
   * A request whose body trickles in, a byte a second, after its headers; resolves once the server
   * has taken it as far as its body (its `100 Continue`), with what it answers in the end and a way
   * to hang up first.
   */
  async function trickleBody(timeoutMs = 15_000) {
    let invited!: () => void;
    const reached = new Promise<void>((resolve) => (invited = resolve));
    let connection!: Socket;
    const head = rawPost(EXECUTE, '', {
      ...JSON_TYPE,
      'Content-Length': String(TASK.length),
      Expect: '100-continue',
    });
    const answer = rawExchange(limited.url, {
      write: (socket) => {
        connection = socket;
        socket.write(head);
        let sent = 0;
        const trickle = setInterval(() => {
          if (socket.destroyed || sent >= TASK.length - 1) return clearInterval(trickle);
          socket.write(TASK[sent++]!);
        }, 1_000);
        socket.on('data', (chunk) => chunk.toString().includes('100 Continue') && invited());
        socket.once('close', () => clearInterval(trickle));
      },
      timeoutMs,
    });
    await Promise.race([reached, answer]);
    return { answer, hangUp: () => connection.destroy() };
  }

  it('answers an honest client while more than MAX_CONCURRENT_RUNS connections trickle their bodies in', async () => {
    const slow = await Promise.all([1, 2, 3].map(() => trickleBody()));
    // Before: each slow body held a run slot while it arrived, and this was 503 overloaded.
    expect((await execute()).status).toBe(200);
    for (const { hangUp } of slow) hangUp();
    const answers = await Promise.all(slow.map(({ answer }) => answer));
    for (const answer of answers) expect(answer.statuses).toEqual([100]);
  });

  it('records a run whose client went away before its answer as 499 in its server span, and logs it', async () => {
    const traceId = randomBytes(16).toString('hex');
    const modelCallsBefore = slowModel.requests.length;
    const answer = rawExchange(limited.url, {
      write: (socket) => {
        socket.write(
          rawPost(EXECUTE, TASK, {
            ...JSON_TYPE,
            traceparent: `00-${traceId}-00f067aa0ba902b7-01`,
          }),
        );
        void until(() => slowModel.requests.length > modelCallsBefore, 'the model call').then(() =>
          socket.destroy(),
        );
      },
    });
    expect((await answer).statuses).toEqual([]);
    await receiver.waitFor(
      (spans) => spans.some((span) => span.traceId === traceId && span.kind === 'SERVER'),
      { description: 'the server span of the abandoned run' },
    );
    // Before: 200, the status of a response nobody set, though nothing was answered.
    expect(receiver.spansOfTrace(traceId).find((span) => span.kind === 'SERVER')).toEqual(
      expect.objectContaining({
        attributes: expect.objectContaining({ 'http.response.status_code': 499 }),
      }),
    );
    // Before: logged at debug, as an answered request is, so not at all at LOG_LEVEL=info.
    const logLine = () =>
      limited
        .output()
        .split('\n')
        .find((text) => text.includes(`"trace_id":"${traceId}"`) && text.includes('"res":'));
    await until(() => logLine() !== undefined, 'the request log line of the abandoned run');
    expect(JSON.parse(logLine()!)).toEqual(
      expect.objectContaining({ level: 30, msg: 'request aborted' }),
    );
  });

  it('answers a body that has not arrived within 10 s with 408 client_timeout, traced and counted, and closes the connection', async () => {
    const answer = await (await trickleBody()).answer;
    expect(answer.statuses).toEqual([100, 408]);
    expect(answer.closedByServer).toBe(true);
    const traceId = /x-trace-id: ([0-9a-f]{32})/i.exec(answer.text)?.[1];
    expect(traceId).toBeDefined();
    expect(firstJsonBody(answer.text.slice(answer.text.indexOf('HTTP/1.1 408')))).toEqual({
      error: { code: 'client_timeout', message: expect.stringContaining('10 s') },
    });
    await receiver.waitFor((spans) => spans.some((span) => span.traceId === traceId), {
      description: 'the span of the timed-out request',
    });
    expect(receiver.spansOfTrace(traceId!)).toContainEqual(
      expect.objectContaining({
        kind: 'SERVER',
        attributes: expect.objectContaining({ 'http.response.status_code': 408 }),
      }),
    );
    const samples = parsePrometheusText(await (await fetch(metricsUrl)).text());
    expect(
      sumOf(samples, 'http_server_request_duration_count', { http_response_status_code: '408' }),
    ).toBe(1);
  }, 20_000);
});

describe('Expect: 100-continue', () => {
  const KEY = 'edge-test-key';
  let keyed: SpawnedService;
  beforeAll(async () => {
    keyed = await spawnService({
      env: {
        GEMINI_BASE_URL: emulator.url,
        AGENT_API_KEYS: KEY,
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
        OTEL_BSP_SCHEDULE_DELAY: '50',
      },
    });
  });
  afterAll(() => keyed.stop());

  const AUTHORIZED = { Authorization: `Bearer ${KEY}` };
  const headOf = (headers: Record<string, string>) =>
    rawPost(EXECUTE, '', {
      'Content-Length': String(TASK.length),
      Expect: '100-continue',
      ...headers,
    });

  it.each([
    ['no key', JSON_TYPE, 401],
    ['a wrong key', { ...JSON_TYPE, Authorization: 'Bearer not-the-key' }, 401],
    ['a body that is not JSON', { ...AUTHORIZED, 'Content-Type': 'text/plain' }, 415],
    [
      'a declared length over 64 kB',
      { ...AUTHORIZED, ...JSON_TYPE, 'Content-Length': '70000' },
      413,
    ],
  ])(
    'answers a request with %s at once, never inviting its body with 100 Continue',
    async (_case, headers, status) => {
      const answer = await rawExchange(keyed.url, {
        write: (socket) => socket.write(headOf(headers)),
      });
      // Before: "HTTP/1.1 100 Continue" came first, whatever the request.
      expect(answer.statuses).toEqual([status]);
      expect(answer.closedByServer).toBe(true);
    },
  );

  it('invites the body of an authenticated JSON request with 100 Continue, then answers it, traced', async () => {
    const answer = await rawExchange(keyed.url, {
      write: (socket) => {
        socket.write(headOf({ ...AUTHORIZED, ...JSON_TYPE, Connection: 'close' }));
        socket.once('data', () => socket.write(TASK));
      },
      // Until the server closes, after its answer: a whole run.
      timeoutMs: 15_000,
    });
    expect(answer.statuses).toEqual([100, 200]);
    expect(answer.text).toMatch(/x-trace-id: [0-9a-f]{32}\r\n/i);
  });
});
