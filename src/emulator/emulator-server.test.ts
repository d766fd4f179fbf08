import {
  GoogleGenerativeAI,
  GoogleGenerativeAIAbortError,
  GoogleGenerativeAIError,
  GoogleGenerativeAIFetchError,
  SchemaType,
  type GenerativeModel,
  type Tool,
} from '@google/generative-ai';
import { ApiError, GoogleGenAI, type Content } from '@google/genai';
import { startGeminiEmulator, type GeminiEmulator } from './emulator-server';

const TASK = 'Calculate 17 * 23';
const TWO_TOOL_TASK = 'Calculate 17 * 23 and search the knowledge base for context propagation';

const TOOLS: Tool[] = [
  {
    functionDeclarations: [
      {
        name: 'calculator',
        description: 'Evaluates an arithmetic expression',
        parameters: {
          type: SchemaType.OBJECT,
          properties: { expression: { type: SchemaType.STRING } },
          required: ['expression'],
        },
      },
      {
        name: 'search_knowledge_base',
        description: 'Searches the workshop notes',
        parameters: {
          type: SchemaType.OBJECT,
          properties: { query: { type: SchemaType.STRING } },
          required: ['query'],
        },
      },
    ],
  },
];

let emulator: GeminiEmulator;
let model: GenerativeModel;

beforeAll(async () => {
  emulator = await startGeminiEmulator();
  model = new GoogleGenerativeAI('test-key').getGenerativeModel(
    { model: 'gemini-2.0-flash' },
    { baseUrl: emulator.url },
  );
});
afterAll(async () => {
  await emulator.close();
});

const ask = (task: string, tools: Tool[] = TOOLS) => ({
  contents: [{ role: 'user', parts: [{ text: task }] }],
  tools,
});
const endpoint = (method = 'generateContent') =>
  `${emulator.url}/v1beta/models/gemini-2.0-flash:${method}`;
const postJson = (url: string, body: string) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });

async function waitFor(condition: () => boolean, timeoutMs = 2_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setImmediate(resolve));
  }
}

describe('Gemini emulator, through the real SDK', () => {
  it('answers a task that asks for time to think that much later', async () => {
    const started = performance.now();
    const { response } = await model.generateContent(ask('Take 1 second to think: 2 + 2'));

    expect(performance.now() - started).toBeGreaterThanOrEqual(990);
    expect(response.functionCalls()).toEqual([
      { name: 'calculator', args: { expression: '2 + 2' } },
    ]);
  });

  it('stops waiting for a slow answer when its client gives up: its timer is cleared', async () => {
    const setTimer = jest.spyOn(global, 'setTimeout');
    const clearTimer = jest.spyOn(global, 'clearTimeout');
    try {
      const before = emulator.requests.length;
      const request = fetch(endpoint(), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(ask('Take 60 seconds to think: 2 + 2')),
        signal: AbortSignal.timeout(100),
      });
      await expect(request).rejects.toThrow();
      await waitFor(() => emulator.requests[before]?.abandoned === true);
      const wait = setTimer.mock.calls.findIndex(([, ms]) => ms === 60_000);
      expect(wait).toBeGreaterThanOrEqual(0);
      await waitFor(() =>
        clearTimer.mock.calls.some(([timer]) => timer === setTimer.mock.results[wait]?.value),
      );
    } finally {
      setTimer.mockRestore();
      clearTimer.mockRestore();
    }
  });

  it('answers a task that has arithmetic with a calculator function call', async () => {
    const { response } = await model.generateContent(ask(TASK));

    expect(response.functionCalls()).toEqual([
      { name: 'calculator', args: { expression: '17 * 23' } },
    ]);
    expect(response.candidates?.[0]?.finishReason).toBe('STOP');
  });

  it('reports integer token usage whose total is the sum of prompt and candidates', async () => {
    const { response } = await model.generateContent(ask(TASK));

    const usage = response.usageMetadata!;
    expect(Number.isInteger(usage.promptTokenCount)).toBe(true);
    expect(Number.isInteger(usage.candidatesTokenCount)).toBe(true);
    expect(usage.promptTokenCount).toBeGreaterThan(0);
    expect(usage.candidatesTokenCount).toBeGreaterThan(0);
    expect(usage.totalTokenCount).toBe(usage.promptTokenCount + usage.candidatesTokenCount);
  });

  it('uses the token counts a scripted turn gives', async () => {
    emulator.enqueue({
      kind: 'turn',
      parts: [{ text: 'ok' }],
      usage: { promptTokenCount: 10, candidatesTokenCount: 5 },
    });
    const { response } = await model.generateContent(ask(TASK));

    expect(response.usageMetadata).toEqual({
      promptTokenCount: 10,
      candidatesTokenCount: 5,
      totalTokenCount: 15,
    });
  });

  it('carries modelVersion and responseId on the raw response', async () => {
    const { response } = await model.generateContent(ask(TASK));
    const raw = response as typeof response & { modelVersion?: string; responseId?: string };

    expect(raw.modelVersion).toBe('gemini-2.0-flash');
    expect(raw.responseId).toMatch(/^[\w-]{22}$/);
    const { response: second } = await model.generateContent(ask(TASK));
    expect((second as typeof raw).responseId).not.toBe(raw.responseId);
  });

  it('streams the same parallel function calls as the non-streaming call, one part per chunk', async () => {
    const { response: whole } = await model.generateContent(ask(TWO_TOOL_TASK));
    const streamed = await model.generateContentStream(ask(TWO_TOOL_TASK));
    const chunks = [];
    for await (const chunk of streamed.stream) chunks.push(chunk);
    const aggregated = await streamed.response;

    expect(whole.functionCalls()?.map((call) => call.name)).toEqual([
      'calculator',
      'search_knowledge_base',
    ]);
    expect(aggregated.functionCalls()).toEqual(whole.functionCalls());
    expect(chunks).toHaveLength(2);
    expect(aggregated.candidates?.[0]?.finishReason).toBe('STOP');
    expect(aggregated.usageMetadata).toEqual(whole.usageMetadata);
    expect(emulator.requests.at(-1)?.method).toBe('streamGenerateContent');
  });

  it('streams the same text as the non-streaming call', async () => {
    const { response: whole } = await model.generateContent(ask('Say hello', []));
    const streamed = await model.generateContentStream(ask('Say hello', []));
    for await (const _chunk of streamed.stream) {
      // drain
    }
    const aggregated = await streamed.response;

    expect(whole.text()).toContain('Say hello');
    expect(aggregated.text()).toBe(whole.text());
  });

  it('streams text in several chunks, each with the usage so far, EMULATOR_LATENCY_MS spread across them', async () => {
    const slow = await startGeminiEmulator({ latencyMs: 400 });
    try {
      const slowModel = new GoogleGenerativeAI('test-key').getGenerativeModel(
        { model: 'gemini-2.0-flash' },
        { baseUrl: slow.url },
      );
      const started = Date.now();
      const streamed = await slowModel.generateContentStream(ask('Say hello', []));
      const arrivals: number[] = [];
      const outputTokens: (number | undefined)[] = [];
      for await (const chunk of streamed.stream) {
        arrivals.push(Date.now() - started);
        outputTokens.push(chunk.usageMetadata?.candidatesTokenCount);
      }
      const aggregated = await streamed.response;

      expect(arrivals.length).toBeGreaterThan(2);
      // Spread, not all at the end: the first chunk came well before the last.
      expect(arrivals.at(-1)! - arrivals[0]!).toBeGreaterThanOrEqual(200);
      expect(outputTokens).toEqual([...outputTokens].sort((a, b) => a! - b!));
      expect(outputTokens.at(-1)).toBe(aggregated.usageMetadata?.candidatesTokenCount);
    } finally {
      await slow.close();
    }
  });

  it('uses scripted replies in order before the planner', async () => {
    emulator.enqueue(
      { kind: 'turn', parts: [{ text: 'scripted answer' }] },
      {
        kind: 'error',
        status: 503,
        message: 'The model is overloaded.',
        headers: { 'retry-after': '7' },
      },
    );

    const first = await model.generateContent(ask(TASK));
    expect(first.response.text()).toBe('scripted answer');
    expect(first.response.functionCalls()).toBeUndefined();

    const failure = await model.generateContent(ask(TASK)).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(GoogleGenerativeAIFetchError);
    expect(failure).toMatchObject({ status: 503, statusText: 'Service Unavailable' });
    expect((failure as Error).message).toContain('The model is overloaded.');

    const third = await model.generateContent(ask(TASK));
    expect(third.response.functionCalls()).toEqual([
      { name: 'calculator', args: { expression: '17 * 23' } },
    ]);
  });

  it('answers a scripted error with its headers and a Google-style body', async () => {
    emulator.enqueue({
      kind: 'error',
      status: 503,
      message: 'The model is overloaded.',
      headers: { 'retry-after': '7' },
    });
    const response = await postJson(endpoint(), JSON.stringify(ask(TASK)));

    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('7');
    expect(response.headers.get('content-type')).toBe('application/json; charset=UTF-8');
    expect(await response.json()).toEqual({
      error: { code: 503, message: 'The model is overloaded.', status: 'UNAVAILABLE' },
    });
  });

  it('makes the SDK fail to parse a 200 whose body is not JSON', async () => {
    emulator.enqueue({ kind: 'raw', body: '<html>Gateway says hi</html>' });

    // Under Jest the SyntaxError comes from Node's realm, so it is matched by name, not by class.
    await expect(model.generateContent(ask(TASK))).rejects.toMatchObject({ name: 'SyntaxError' });
  });

  it('makes the SDK throw a network error when it drops the connection', async () => {
    emulator.enqueue({ kind: 'drop' });
    const failure = await model.generateContent(ask(TASK)).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(GoogleGenerativeAIError);
    expect(failure).not.toBeInstanceOf(GoogleGenerativeAIFetchError);
    expect((failure as Error).message).toMatch(
      /^\[GoogleGenerativeAI Error\]: Error fetching from .*: fetch failed$/,
    );
  });

  it('hangs until the caller aborts the call', async () => {
    emulator.enqueue({ kind: 'hang' });
    const before = emulator.requests.length;
    const controller = new AbortController();
    const call = model.generateContent(ask(TASK), { signal: controller.signal });

    await waitFor(() => emulator.requests.length > before);
    controller.abort();

    await expect(call).rejects.toBeInstanceOf(GoogleGenerativeAIAbortError);
    // The emulator is still serving after the abandoned call.
    const { response } = await model.generateContent(ask(TASK));
    expect(response.functionCalls()?.[0]?.name).toBe('calculator');
  });

  it('records the model, method, API key header and body of each request', async () => {
    const before = emulator.requests.length;
    await model.generateContent({ ...ask(TASK), systemInstruction: 'Be brief.' });

    expect(emulator.requests.length).toBe(before + 1);
    const recorded = emulator.requests.at(-1)!;
    expect(recorded.model).toBe('gemini-2.0-flash');
    expect(recorded.method).toBe('generateContent');
    expect(recorded.headers['x-goog-api-key']).toBe('test-key');
    expect(recorded.body.contents).toEqual([{ role: 'user', parts: [{ text: TASK }] }]);
    expect(
      recorded.body.tools?.[0]?.functionDeclarations?.map((declaration) => declaration.name),
    ).toEqual(['calculator', 'search_knowledge_base']);
    expect(recorded.body.systemInstruction).toEqual({
      role: 'system',
      parts: [{ text: 'Be brief.' }],
    });
  });

  it('only calls tools the request declares', async () => {
    const { response } = await model.generateContent(ask(TASK, []));

    expect(response.functionCalls()).toBeUndefined();
    expect(response.text()).toContain(TASK);
  });
});

describe('Gemini emulator, through @google/genai', () => {
  // Global fetch, as the adapter gives it: the SDK's own dispatcher is not reachable under Jest.
  const genai = () =>
    new GoogleGenAI({
      apiKey: 'test-key',
      vertexai: false,
      httpOptions: { baseUrl: emulator.url, fetch: (input, init) => fetch(input, init) },
    });
  const config = { tools: TOOLS as never };
  const calculatorResult = (id: string | undefined, role = 'user'): Content => ({
    role,
    parts: [
      {
        functionResponse: {
          id,
          name: 'calculator',
          response: { expression: '17 * 23', result: 391 },
        },
      },
    ],
  });

  it('answers it on its default API version, v1, as it answers the older SDK on v1beta', async () => {
    const { text } = await genai().models.generateContent({
      model: 'gemini-2.0-flash',
      contents: 'Say hello',
    });
    await model.generateContent(ask('Say hello'));

    expect(text).toEqual(expect.any(String));
    const [fromGenai, fromGenerativeAi] = emulator.requests.slice(-2);
    expect(fromGenai).toMatchObject({ dialect: 'genai', apiVersion: 'v1' });
    expect(fromGenerativeAi).toMatchObject({ dialect: 'generative-ai', apiVersion: 'v1beta' });
  });

  it('answers its function calls with ids, and takes the results back as user content by id', async () => {
    const client = genai();
    const first = await client.models.generateContent({
      model: 'gemini-2.0-flash',
      contents: TASK,
      config,
    });
    const [call] = first.functionCalls ?? [];
    expect(call).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{12}$/),
      name: 'calculator',
      args: { expression: '17 * 23' },
    });
    expect(emulator.requests.at(-1)?.dialect).toBe('genai');

    const second = await client.models.generateContentStream({
      model: 'gemini-2.0-flash',
      contents: [
        { role: 'user', parts: [{ text: TASK }] },
        { role: 'model', parts: [{ functionCall: call }] },
        calculatorResult(call?.id),
      ],
      config,
    });
    let text = '';
    for await (const chunk of second) text += chunk.text ?? '';
    expect(text).toBe('17 * 23 = 391');
  });

  it.each([
    ['a result whose id matches no call', calculatorResult('nope'), 'matches no function call'],
    ['a result in the role function', calculatorResult('c1', 'function'), 'must be user content'],
  ])('refuses %s with 400 INVALID_ARGUMENT', async (_case, result, message) => {
    const contents: Content[] = [
      { role: 'user', parts: [{ text: TASK }] },
      { role: 'model', parts: [{ functionCall: { id: 'c1', name: 'calculator', args: {} } }] },
      result,
    ];
    const failure = await genai()
      .models.generateContent({ model: 'gemini-2.0-flash', contents, config })
      .catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(ApiError);
    expect((failure as ApiError).status).toBe(400);
    expect((failure as ApiError).message).toContain(message);
  });

  it('gives the older SDK function calls without ids, and takes its function role', async () => {
    const { response } = await model.generateContent(ask(TASK));
    const [part] = response.candidates?.[0]?.content.parts ?? [];

    expect(part?.functionCall).toEqual({ name: 'calculator', args: { expression: '17 * 23' } });
    expect(emulator.requests.at(-1)?.dialect).toBe('generative-ai');
  });
});

describe('Gemini emulator, over plain HTTP', () => {
  it('answers an unknown route with a Google-style 404', async () => {
    const response = await fetch(`${emulator.url}/v1/nowhere`);

    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({
      error: { code: 404, message: 'No route for GET /v1/nowhere', status: 'NOT_FOUND' },
    });
  });

  it('answers a GET on a model route with 404', async () => {
    const response = await fetch(endpoint());

    expect(response.status).toBe(404);
    expect(((await response.json()) as { error: { status: string } }).error.status).toBe(
      'NOT_FOUND',
    );
  });

  it('rejects malformed JSON with 400 INVALID_ARGUMENT and does not record it', async () => {
    const before = emulator.requests.length;
    const response = await postJson(endpoint(), '{"contents": [');
    const body = (await response.json()) as {
      error: { code: number; message: string; status: string };
    };

    expect(response.status).toBe(400);
    expect(body.error.code).toBe(400);
    expect(body.error.status).toBe('INVALID_ARGUMENT');
    expect(body.error.message).toMatch(/^Invalid JSON payload received\. /);
    expect(emulator.requests.length).toBe(before);
  });

  it('rejects a body without contents with 400', async () => {
    const response = await postJson(endpoint(), JSON.stringify({ tools: [] }));

    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: {
        code: 400,
        message: '* GenerateContentRequest.contents: contents is not specified',
        status: 'INVALID_ARGUMENT',
      },
    });
  });

  it('answers GET /healthz with 200', async () => {
    const response = await fetch(`${emulator.url}/healthz`);

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });
});
