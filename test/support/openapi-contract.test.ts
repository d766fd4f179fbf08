import { operationsOf } from '../../src/http/routes/route';
import { AGENT_ROUTES } from '../../src/http/routes/services';
import { buildOpenApiDocument } from '../../src/http/openapi/openapi-document';
import { assertMatchesDocument, type ObservedExchange } from './openapi-contract';

const document = buildOpenApiDocument({
  title: 'agent-service',
  operations: operationsOf(AGENT_ROUTES),
  requiresKeys: false,
  rateLimited: false,
});
const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';
const ANSWER = {
  response: '391',
  steps: [],
  total_steps: 0,
  stopped_reason: 'completed',
  trace_id: TRACE_ID,
  usage: { input_tokens: 1, output_tokens: 1, cost_usd: null },
};
const exchange = (overrides: Partial<ObservedExchange>): ObservedExchange => ({
  method: 'POST',
  path: '/api/v1/agent/execute',
  status: 200,
  headers: { 'content-type': 'application/json; charset=utf-8', 'x-trace-id': TRACE_ID },
  body: ANSWER,
  ...overrides,
});
const error = (code: string) => ({ error: { code, message: 'What to fix.' } });
const STREAM_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'x-trace-id': TRACE_ID,
};
const streamed = (...events: [string, unknown][]): Partial<ObservedExchange> => ({
  path: '/api/v1/agent/stream',
  headers: STREAM_HEADERS,
  body: undefined,
  text: events
    .map(
      ([name, data], index) =>
        `event: ${name}\nid: ${index + 1}\ndata: ${JSON.stringify(data)}\n\n`,
    )
    .join(': keep-alive\n\n'),
});

describe('the OpenAPI contract of a response', () => {
  it('accepts answers the document promises, errors and unknown routes included', () => {
    assertMatchesDocument(document, exchange({}));
    assertMatchesDocument(document, exchange({ status: 400, body: error('invalid_request') }));
    assertMatchesDocument(document, exchange({ status: 502, body: error('model_unavailable') }));
    assertMatchesDocument(
      document,
      exchange({ path: '/nope', status: 404, body: error('not_found') }),
    );
    assertMatchesDocument(
      document,
      exchange({ method: 'GET', status: 405, body: error('method_not_allowed') }),
    );
    assertMatchesDocument(
      document,
      exchange(
        streamed(
          ['run.started', { trace_id: TRACE_ID, correlation_id: 'c-1' }],
          ['step.started', { step: 1 }],
          ['text.delta', { text: '39' }],
          ['run.finished', ANSWER],
        ),
      ),
    );
    assertMatchesDocument(document, exchange(streamed(['error', error('model_timeout')])));
  });

  it.each([
    [
      'a status the route never answers',
      exchange({ status: 418, body: error('not_found') }),
      /418/,
    ],
    [
      'a code its status does not carry',
      exchange({ status: 502, body: error('model_timeout') }),
      /code/,
    ],
    ['a 200 body missing a field', exchange({ body: { ...ANSWER, usage: undefined } }), /usage/],
    ['an unknown route that is not a 404', exchange({ path: '/nope', status: 200 }), /404/],
    [
      'a malformed X-Trace-Id',
      exchange({ headers: { 'content-type': 'application/json', 'x-trace-id': 'abc' } }),
      /X-Trace-Id/,
    ],
    [
      'an answer that is not JSON',
      exchange({ headers: { 'content-type': 'text/html' } }),
      /not JSON/,
    ],
    ['an event the stream does not have', exchange(streamed(['run.paused', {}])), /run\.paused/],
    [
      'an event whose data is not its own',
      exchange(streamed(['tool.finished', { call_id: 'c', name: 'calculator' }])),
      /tool\.finished/,
    ],
    ['a stream with no event', exchange({ ...streamed(), text: ': keep-alive\n\n' }), /no event/],
  ])('rejects %s', (_case, observed, message) => {
    expect(() => assertMatchesDocument(document, observed)).toThrow(message);
  });
});
