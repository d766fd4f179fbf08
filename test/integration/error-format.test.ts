import { startOtlpReceiver, type OtlpReceiver } from '../../dev/otlp/receiver';
import { firstJsonBody, rawExchange } from '../support/raw-http';
import { spawnService, stopAllServices, type SpawnedService } from '../support/spawn-service';

/**
 * Requests on odd paths, sent as is on a raw socket (an HTTP client library would normalize
 * `/docs/../x` or refuse `/%zz`): whatever answers them, the answer is the JSON error of every other
 * route, with the trace id of a request that was traced.
 */

let receiver: OtlpReceiver;
let service: SpawnedService;
beforeAll(async () => {
  receiver = await startOtlpReceiver();
  service = await spawnService({
    env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint, OTEL_BSP_SCHEDULE_DELAY: '50' },
  });
});
afterAll(async () => {
  await stopAllServices();
  await receiver.stop();
});

interface Answer {
  status: number;
  headers: Record<string, string>;
  text: string;
}

/** `request` is `METHOD target`; the rest of the request is added, and the connection closed. */
async function send(request: string, headers: Record<string, string> = {}): Promise<Answer> {
  const lines = Object.entries({ Host: 'localhost', Connection: 'close', ...headers }).map(
    ([name, value]) => `${name}: ${value}\r\n`,
  );
  const body = request.startsWith('POST ') ? 'Content-Length: 0\r\n' : '';
  const { text, statuses } = await rawExchange(service.url, {
    write: (socket) => socket.write(`${request} HTTP/1.1\r\n${lines.join('')}${body}\r\n`),
  });
  const head = text.slice(0, text.indexOf('\r\n\r\n')).split('\r\n').slice(1);
  const parsed = head.map((line) => {
    const colon = line.indexOf(':');
    return [line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim()];
  });
  return { status: statuses[0]!, headers: Object.fromEntries(parsed), text };
}

function expectJsonError(answer: Answer, status: number, code: string): void {
  expect(answer.status).toBe(status);
  expect(answer.headers['content-type']).toBe('application/json; charset=utf-8');
  expect(answer.headers['x-trace-id']).toMatch(/^[0-9a-f]{32}$/);
  expect(firstJsonBody(answer.text)).toEqual({ error: { code, message: expect.any(String) } });
}

describe('errors on odd paths', () => {
  it.each([
    ['a traversal out of /docs', 'GET /docs/../package.json', 404, 'not_found'],
    ['an encoded traversal out of /docs', 'GET /docs/%2e%2e/package.json', 404, 'not_found'],
    ['an encoded traversal to a directory', 'GET /docs/%2e%2e/', 404, 'not_found'],
    ['an unknown asset under /docs', 'GET /docs/nonexistent.js', 404, 'not_found'],
    ['a file of swagger-ui-dist the page does not load', 'GET /docs/index.html', 404, 'not_found'],
    ['the init script under another folder', 'GET /docs/x/swagger-ui-init.js', 404, 'not_found'],
    ['a malformed percent-encoding under /docs', 'GET /docs/%zz', 404, 'not_found'],
    ['a malformed percent-encoding', 'GET /%zz', 404, 'not_found'],
    ['a double slash', 'GET //docs/', 404, 'not_found'],
    ['a path below the document', 'GET /openapi.json/x', 404, 'not_found'],
    ['another method on the document', 'POST /openapi.json', 405, 'method_not_allowed'],
    ['another method on the docs page', 'POST /docs/', 405, 'method_not_allowed'],
    ['an asterisk target', 'OPTIONS *', 404, 'not_found'],
  ])('answers %s (%s) with the JSON error and a trace id', async (_case, request, status, code) => {
    expectJsonError(await send(request), status, code);
  });

  it('answers a HEAD of an unknown asset 404 with the JSON headers and no body', async () => {
    const answer = await send('HEAD /docs/nonexistent.js');
    expect(answer.status).toBe(404);
    expect(answer.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(answer.headers['x-trace-id']).toMatch(/^[0-9a-f]{32}$/);
    expect(answer.text.endsWith('\r\n\r\n')).toBe(true);
  });

  it('traces the request its X-Trace-Id names', async () => {
    const answer = await send('GET /docs/../package.json');
    const traceId = answer.headers['x-trace-id']!;
    await receiver.waitFor((spans) => spans.some((span) => span.traceId === traceId), {
      description: `the server span of trace ${traceId}`,
    });
    expect(receiver.spansOfTrace(traceId)).toEqual([
      expect.objectContaining({
        kind: 'SERVER',
        attributes: expect.objectContaining({ 'http.response.status_code': 404 }),
      }),
    ]);
  });

  it('quotes at most 200 characters of a long unknown path', async () => {
    const answer = await send(`GET /${'a'.repeat(8_000)}`);
    expectJsonError(answer, 404, 'not_found');
    const { error } = firstJsonBody(answer.text) as { error: { message: string } };
    expect(error.message).toBe(`No route for GET /${'a'.repeat(199)}… (8001 characters).`);
  });
});

describe('the docs page and its assets', () => {
  it.each([
    ['an unsatisfiable Range', { Range: 'bytes=999999999-' }],
    ['an If-Match that matches nothing', { 'If-Match': '"nope"' }],
    [
      'an If-Unmodified-Since in the past',
      { 'If-Unmodified-Since': 'Thu, 01 Jan 1970 00:00:00 GMT' },
    ],
  ])(
    'answer %s with the whole file, never an error of the static server',
    async (_case, headers) => {
      const answer = await send('GET /docs/swagger-ui.css', headers);
      expect(answer.status).toBe(200);
      expect(answer.headers['content-type']).toBe('text/css; charset=utf-8');
    },
  );

  it('are answered untraced when they succeed', async () => {
    for (const path of ['/docs/', '/docs/swagger-ui.css', '/openapi.json']) {
      const answer = await send(`GET ${path}`);
      expect(answer.status).toBe(200);
      expect(answer.headers['x-trace-id']).toBeUndefined();
    }
  });
});
