import { ApiError } from '@google/genai';
import { startGeminiEmulator, type GeminiEmulator } from '../../emulator/emulator-server';
import type { Message, ToolDeclaration } from '../model';
import { ModelError } from '../model-errors';
import { classifyGenaiError } from './classify-genai-error';
import { toGeminiContents } from '../gemini/gemini-contents';
import { GENAI_CONTENTS, GenaiModel } from './genai-model';

const CALCULATOR: ToolDeclaration = {
  name: 'calculator',
  description: 'Evaluates an arithmetic expression',
  parameters: {
    type: 'object',
    properties: { expression: { type: 'string' } },
    required: ['expression'],
  },
};
const API_KEY = 'genai-test-key-5f1c';

describe('toGeminiContents in the form of @google/genai', () => {
  it('sends tool results as user content, calls and results with their call id', () => {
    const messages: Message[] = [
      { role: 'user', parts: [{ type: 'text', content: 'Calculate 17 * 23' }] },
      {
        role: 'assistant',
        parts: [
          { type: 'tool_call', id: 'a1', name: 'calculator', arguments: { expression: '17 * 23' } },
        ],
      },
      {
        role: 'tool',
        parts: [
          { type: 'tool_call_response', id: 'a1', name: 'calculator', response: { result: 391 } },
        ],
      },
    ];

    expect(toGeminiContents(messages, GENAI_CONTENTS)).toEqual([
      { role: 'user', parts: [{ text: 'Calculate 17 * 23' }] },
      {
        role: 'model',
        parts: [
          { functionCall: { id: 'a1', name: 'calculator', args: { expression: '17 * 23' } } },
        ],
      },
      {
        role: 'user',
        parts: [{ functionResponse: { id: 'a1', name: 'calculator', response: { result: 391 } } }],
      },
    ]);
  });
});

/** What `@google/genai` throws for a non-2xx answer: the API's error body as its message. */
const apiError = (status: number, googleStatus: string, details?: unknown[]) =>
  new ApiError({
    status,
    message: JSON.stringify({
      error: { code: status, message: 'x', status: googleStatus, details },
    }),
  });

describe('classifyGenaiError', () => {
  it.each([
    { status: 429, googleStatus: 'RESOURCE_EXHAUSTED', errorType: 'model_rate_limited' },
    { status: 403, googleStatus: 'PERMISSION_DENIED', errorType: 'model_auth_failed' },
    { status: 400, googleStatus: 'INVALID_ARGUMENT', errorType: 'model_rejected_request' },
    { status: 503, googleStatus: 'UNAVAILABLE', errorType: 'model_unavailable' },
  ])(
    'classifies an HTTP $status as $errorType, naming the status and not the body',
    ({ status, googleStatus, errorType }) => {
      const original = apiError(status, googleStatus);

      const classified = classifyGenaiError(original);
      expect(classified).toMatchObject({ errorType, options: { status, cause: original } });
      expect(classified.message).toBe(`The model API answered ${status} ${googleStatus}.`);
    },
  );

  it("names no status word that is not Google's, whatever a proxy put in the body", () => {
    const fromProxy = apiError(502, 'upstream said: key=AIza-secret');

    expect(classifyGenaiError(fromProxy).message).toBe('The model API answered 502.');
  });

  it("takes the wait from Google's RetryInfo, and from Retry-After before it", () => {
    const retryInfo = { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '13s' };
    const error = apiError(429, 'RESOURCE_EXHAUSTED', [retryInfo]);

    expect(classifyGenaiError(error).options.retryAfterSeconds).toBe(13);
    const headers = new Map([['retry-after', '2']]);
    expect(classifyGenaiError(error, headers).options.retryAfterSeconds).toBe(2);
  });

  it('classifies an abort as model_timeout, also when the SDK wrapped it', () => {
    const abort = Object.assign(new Error('This operation was aborted'), { name: 'AbortError' });
    const wrapped = new Error('exception AbortError sending request', { cause: abort });

    expect(classifyGenaiError(abort).errorType).toBe('model_timeout');
    expect(classifyGenaiError(wrapped).errorType).toBe('model_timeout');
  });

  it('classifies a body that is not JSON as model_bad_response, and fetch failing as a network error', () => {
    expect(classifyGenaiError(new SyntaxError('Unexpected token <')).errorType).toBe(
      'model_bad_response',
    );
    expect(classifyGenaiError(new TypeError('fetch failed'))).toMatchObject({
      errorType: 'model_network_error',
      message: 'The model call failed: fetch failed',
    });
  });
});

describe('GenaiModel against the emulator', () => {
  let emulator: GeminiEmulator;
  let model: GenaiModel;
  const ask = (content: string): Message[] => [
    { role: 'user', parts: [{ type: 'text', content }] },
  ];

  beforeAll(async () => {
    emulator = await startGeminiEmulator();
    model = new GenaiModel({
      apiKey: API_KEY,
      modelName: 'gemini-2.0-flash',
      baseUrl: `${emulator.url}/`,
    });
  });
  afterAll(async () => {
    await emulator.close();
  });

  it('sends the key in x-goog-api-key only, through a base URL with a trailing slash', async () => {
    const turn = await model.generate({
      messages: ask('Calculate 17 * 23'),
      tools: [CALCULATOR],
      systemInstruction: 'Be brief.',
    });

    expect(turn).toMatchObject({
      finishReasons: ['STOP'],
      responseModel: 'gemini-2.0-flash',
      responseId: expect.any(String),
    });
    const sent = emulator.requests.at(-1)!;
    expect(sent.dialect).toBe('genai');
    expect(sent.headers['x-goog-api-key']).toBe(API_KEY);
    expect(sent.headers['x-goog-api-client']).toMatch(/^google-genai-sdk\/3\.6\./);
    expect(JSON.stringify(sent.body)).not.toContain(API_KEY);
    expect(sent.body.systemInstruction).toEqual({ role: 'user', parts: [{ text: 'Be brief.' }] });
    expect(model.endpoint.href).toBe(`${emulator.url}/`);
    expect(model.providerName).toBe('gcp.gemini');
  });

  it('calls the v1beta API like the other SDK, whatever GOOGLE_GENAI_API_VERSION says', async () => {
    process.env.GOOGLE_GENAI_API_VERSION = 'v1';
    try {
      const fromEnvironment = new GenaiModel({
        apiKey: API_KEY,
        modelName: 'gemini-2.0-flash',
        baseUrl: emulator.url,
      });

      await fromEnvironment.generate({ messages: ask('hi'), tools: [] });

      expect(emulator.requests.at(-1)?.apiVersion).toBe('v1beta');
    } finally {
      delete process.env.GOOGLE_GENAI_API_VERSION;
    }
  });

  it("carries the API's function call id to the turn, and back with the result", async () => {
    const first = await model.generate({ messages: ask('Calculate 17 * 23'), tools: [CALCULATOR] });
    const [call] = first.toolCalls;
    expect(call).toMatchObject({ name: 'calculator', id: expect.stringMatching(/^[0-9a-f]{12}$/) });

    const second = await model.generate({
      messages: [
        ...ask('Calculate 17 * 23'),
        first.message,
        {
          role: 'tool',
          parts: [
            {
              type: 'tool_call_response',
              id: call!.id,
              name: 'calculator',
              response: { expression: '17 * 23', result: 391 },
            },
          ],
        },
      ],
      tools: [CALCULATOR],
    });

    expect(second.text).toBe('17 * 23 = 391');
    const [, modelContent, resultContent] = emulator.requests.at(-1)!.body.contents;
    expect(modelContent?.parts).toEqual([
      { functionCall: { id: call!.id, name: 'calculator', args: { expression: '17 * 23' } } },
    ]);
    expect(resultContent).toMatchObject({
      role: 'user',
      parts: [{ functionResponse: { id: call!.id, name: 'calculator' } }],
    });
  });

  it('streams text chunk by chunk, its usage from the final chunk', async () => {
    emulator.enqueue({
      kind: 'turn',
      parts: [{ text: 'one two three four five six seven eight' }],
      usage: { promptTokenCount: 11, candidatesTokenCount: 40 },
    });
    const deltas: (string | undefined)[] = [];

    const turn = await model.generateStream({
      messages: ask('Count'),
      tools: [],
      onChunk: ({ textDelta }) => deltas.push(textDelta),
    });

    expect(emulator.requests.at(-1)?.method).toBe('streamGenerateContent');
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.join('')).toBe('one two three four five six seven eight');
    expect(turn.text).toBe('one two three four five six seven eight');
    expect(turn.usage).toEqual({ inputTokens: 11, outputTokens: 40 });
  });

  it("surfaces a 429 as model_rate_limited with the server's Retry-After", async () => {
    emulator.enqueue({ kind: 'error', status: 429, headers: { 'retry-after': '3' } });
    const failure = await model
      .generate({ messages: ask('Calculate 17 * 23'), tools: [CALCULATOR] })
      .catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(ModelError);
    expect(failure).toMatchObject({
      errorType: 'model_rate_limited',
      options: { status: 429, retryAfterSeconds: 3 },
    });
    expect((failure as ModelError).options.cause).toBeInstanceOf(ApiError);
  });

  it('surfaces a bad key as model_auth_failed, with the key in no message', async () => {
    emulator.enqueue({ kind: 'error', status: 401, message: 'API key not valid.' });
    const failure = (await model
      .generateStream({ messages: ask('hi'), tools: [], onChunk: () => {} })
      .catch((error: unknown) => error)) as ModelError;

    expect(failure.errorType).toBe('model_auth_failed');
    expect(failure.message).not.toContain(API_KEY);
    expect(String((failure.options.cause as Error).message)).not.toContain(API_KEY);
  });

  it('surfaces a 200 whose body is not JSON as model_bad_response', async () => {
    emulator.enqueue({ kind: 'raw', body: '<html>proxy error</html>' });
    await expect(model.generate({ messages: ask('hi'), tools: [] })).rejects.toMatchObject({
      errorType: 'model_bad_response',
    });
  });

  it('surfaces a call aborted by its signal as model_timeout, streamed or not', async () => {
    for (const streamed of [false, true]) {
      emulator.enqueue({ kind: 'hang' });
      const before = emulator.requests.length;
      const controller = new AbortController();
      const request = { messages: ask('hi'), tools: [], signal: controller.signal };
      const call = streamed
        ? model.generateStream({ ...request, onChunk: () => {} })
        : model.generate(request);
      while (emulator.requests.length === before)
        await new Promise((resolve) => setImmediate(resolve));
      controller.abort();

      await expect(call).rejects.toMatchObject({ errorType: 'model_timeout' });
    }
  });

  it('surfaces a connection dropped mid-stream as model_network_error, after the chunks it sent', async () => {
    emulator.enqueue({
      kind: 'turn',
      parts: [{ text: 'one two three four five six seven eight' }],
      failAfterChunks: 2,
    });
    const deltas: (string | undefined)[] = [];
    const call = model.generateStream({
      messages: ask('Count'),
      tools: [],
      onChunk: ({ textDelta }) => deltas.push(textDelta),
    });

    await expect(call).rejects.toMatchObject({ errorType: 'model_network_error' });
    expect(deltas).toHaveLength(2);
  });
});
