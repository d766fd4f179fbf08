import {
  FinishReason,
  GoogleGenerativeAIAbortError,
  GoogleGenerativeAIError,
  GoogleGenerativeAIFetchError,
  type GenerateContentResponse,
} from '@google/generative-ai';
import { startGeminiEmulator, type GeminiEmulator } from '../../emulator/emulator-server';
import { classifyGeminiError } from './classify-gemini-error';
import { GeminiModel, GENERATIVE_AI_CONTENTS } from './gemini-model';
import { toGeminiContents } from './gemini-contents';
import { fromGeminiResponse } from './gemini-response';
import type { Message, ToolDeclaration } from '../model';
import { ModelError } from '../model-errors';

const CALCULATOR: ToolDeclaration = {
  name: 'calculator',
  description: 'Evaluates an arithmetic expression',
  parameters: {
    type: 'object',
    properties: { expression: { type: 'string' } },
    required: ['expression'],
  },
};

/** call ids `call_1`, `call_2`, ... */
function sequentialIds(): () => string {
  let next = 0;
  return () => String(++next);
}

describe('toGeminiContents', () => {
  it('maps roles and parts to the Gemini wire shape', () => {
    const messages: Message[] = [
      { role: 'user', parts: [{ type: 'text', content: 'Calculate 17 * 23' }] },
      {
        role: 'assistant',
        parts: [
          { type: 'text', content: 'Let me compute that.' },
          {
            type: 'tool_call',
            id: 'call_1',
            name: 'calculator',
            arguments: { expression: '17 * 23' },
          },
        ],
      },
      {
        role: 'tool',
        parts: [
          {
            type: 'tool_call_response',
            id: 'call_1',
            name: 'calculator',
            response: { result: 391 },
          },
        ],
      },
    ];

    expect(toGeminiContents(messages, GENERATIVE_AI_CONTENTS)).toEqual([
      { role: 'user', parts: [{ text: 'Calculate 17 * 23' }] },
      {
        role: 'model',
        parts: [
          { text: 'Let me compute that.' },
          { functionCall: { name: 'calculator', args: { expression: '17 * 23' } } },
        ],
      },
      {
        role: 'function',
        parts: [{ functionResponse: { name: 'calculator', response: { result: 391 } } }],
      },
    ]);
  });

  it('maps an empty conversation to no contents', () => {
    expect(toGeminiContents([], GENERATIVE_AI_CONTENTS)).toEqual([]);
  });
});

describe('fromGeminiResponse', () => {
  it('reads a text-only answer, joining its text parts', () => {
    const response: GenerateContentResponse = {
      candidates: [
        {
          index: 0,
          content: { role: 'model', parts: [{ text: '17 * 23 ' }, { text: '= 391' }] },
          finishReason: FinishReason.STOP,
        },
      ],
      usageMetadata: { promptTokenCount: 40, candidatesTokenCount: 6, totalTokenCount: 46 },
    };

    expect(fromGeminiResponse(response, sequentialIds())).toEqual({
      text: '17 * 23 = 391',
      toolCalls: [],
      finishReasons: ['STOP'],
      usage: { inputTokens: 40, outputTokens: 6 },
      responseModel: undefined,
      responseId: undefined,
      message: { role: 'assistant', parts: [{ type: 'text', content: '17 * 23 = 391' }] },
    });
  });

  it('reads text and two function calls, giving each call an id', () => {
    const response = {
      candidates: [
        {
          index: 0,
          content: {
            role: 'model',
            parts: [
              { text: 'Working on it.' },
              { functionCall: { name: 'calculator', args: { expression: '17 * 23' } } },
              {
                functionCall: {
                  name: 'search_knowledge_base',
                  args: { query: 'context propagation' },
                },
              },
            ],
          },
          finishReason: FinishReason.STOP,
        },
      ],
      usageMetadata: { promptTokenCount: 120, candidatesTokenCount: 30, totalTokenCount: 150 },
      modelVersion: 'gemini-2.0-flash-001',
      responseId: 'resp-abc',
    } as GenerateContentResponse;

    const calculatorCall = {
      type: 'tool_call',
      id: 'call_1',
      name: 'calculator',
      arguments: { expression: '17 * 23' },
    };
    const searchCall = {
      type: 'tool_call',
      id: 'call_2',
      name: 'search_knowledge_base',
      arguments: { query: 'context propagation' },
    };
    expect(fromGeminiResponse(response, sequentialIds())).toEqual({
      text: 'Working on it.',
      toolCalls: [calculatorCall, searchCall],
      finishReasons: ['STOP'],
      usage: { inputTokens: 120, outputTokens: 30 },
      responseModel: 'gemini-2.0-flash-001',
      responseId: 'resp-abc',
      message: {
        role: 'assistant',
        parts: [{ type: 'text', content: 'Working on it.' }, calculatorCall, searchCall],
      },
    });
  });

  it('gives a function call without args empty arguments, and a random id by default', () => {
    // The API omits `args` for a function without parameters.
    const response = {
      candidates: [
        {
          index: 0,
          content: { role: 'model', parts: [{ functionCall: { name: 'get_current_time' } }] },
        },
      ],
    } as unknown as GenerateContentResponse;

    const turn = fromGeminiResponse(response);
    expect(turn.toolCalls).toEqual([
      {
        type: 'tool_call',
        id: expect.stringMatching(/^call_[0-9a-f-]{36}$/),
        name: 'get_current_time',
        arguments: {},
      },
    ]);
    expect(turn.text).toBeUndefined();
  });

  it('keeps the id the API gave a function call, for the result to carry back', () => {
    const response = {
      candidates: [
        { content: { parts: [{ functionCall: { id: 'fc-7', name: 'calculator', args: {} } }] } },
      ],
    };

    expect(fromGeminiResponse(response, sequentialIds()).toolCalls[0]?.id).toBe('fc-7');
  });

  it('reads a response with no candidates as an empty turn with zero usage', () => {
    expect(fromGeminiResponse({}, sequentialIds())).toEqual({
      text: undefined,
      toolCalls: [],
      finishReasons: [],
      usage: { inputTokens: 0, outputTokens: 0 },
      responseModel: undefined,
      responseId: undefined,
      message: { role: 'assistant', parts: [] },
    });
  });

  it('reads a SAFETY stop with no content as no text, no tool calls and the finish reason', () => {
    const response = {
      candidates: [{ index: 0, finishReason: FinishReason.SAFETY }],
      promptFeedback: undefined,
    } as unknown as GenerateContentResponse;

    const turn = fromGeminiResponse(response, sequentialIds());
    expect(turn.text).toBeUndefined();
    expect(turn.toolCalls).toEqual([]);
    expect(turn.finishReasons).toEqual(['SAFETY']);
    expect(turn.usage).toEqual({ inputTokens: 0, outputTokens: 0 });
    expect(turn.message).toEqual({ role: 'assistant', parts: [] });
  });
});

describe('classifyGeminiError', () => {
  const fetchError = (status: number, statusText: string) =>
    new GoogleGenerativeAIFetchError(`[${status} ${statusText}]`, status, statusText, undefined);

  it.each([
    { status: 429, statusText: 'Too Many Requests', errorType: 'model_rate_limited' },
    { status: 401, statusText: 'Unauthorized', errorType: 'model_auth_failed' },
    { status: 403, statusText: 'Forbidden', errorType: 'model_auth_failed' },
    { status: 400, statusText: 'Bad Request', errorType: 'model_rejected_request' },
    { status: 404, statusText: 'Not Found', errorType: 'model_rejected_request' },
    { status: 500, statusText: 'Internal Server Error', errorType: 'model_unavailable' },
    { status: 503, statusText: 'Service Unavailable', errorType: 'model_unavailable' },
  ])(
    'classifies an HTTP $status as $errorType, keeping the status',
    ({ status, statusText, errorType }) => {
      const original = fetchError(status, statusText);

      const classified = classifyGeminiError(original);
      expect(classified).toBeInstanceOf(ModelError);
      expect(classified.errorType).toBe(errorType);
      expect(classified.options.status).toBe(status);
      expect(classified.options.cause).toBe(original);
      expect(classified.message).toBe(`The model API answered ${status} ${statusText}.`);
    },
  );

  it.each([
    ['an AbortError', Object.assign(new Error('aborted'), { name: 'AbortError' })],
    ['a TimeoutError', Object.assign(new Error('timed out'), { name: 'TimeoutError' })],
    ['the SDK abort error', new GoogleGenerativeAIAbortError('Request aborted when fetching')],
  ])('classifies %s as model_timeout', (_label, error) => {
    const classified = classifyGeminiError(error);

    expect(classified.errorType).toBe('model_timeout');
    expect(classified.message).toBe('The model call did not finish in time.');
    expect(classified.options.cause).toBe(error);
  });

  it('classifies a SyntaxError (a body that is not JSON) as model_bad_response', () => {
    expect(classifyGeminiError(new SyntaxError('Unexpected token < in JSON')).errorType).toBe(
      'model_bad_response',
    );
  });

  it('classifies another SDK error (fetch failed) as model_network_error', () => {
    const classified = classifyGeminiError(
      new GoogleGenerativeAIError('Error fetching from http://x: fetch failed'),
    );

    expect(classified.errorType).toBe('model_network_error');
    expect(classified.message).toBe('The model API could not be reached.');
    expect(classified.options.status).toBeUndefined();
  });

  it('classifies anything else as model_network_error, with its message', () => {
    expect(classifyGeminiError(new Error('socket hang up'))).toMatchObject({
      errorType: 'model_network_error',
      message: 'The model call failed: socket hang up',
    });
    expect(classifyGeminiError('plain string').message).toBe('The model call failed: plain string');
  });

  it('passes a ModelError through unchanged', () => {
    const original = new ModelError('model_timeout', 'already classified');

    expect(classifyGeminiError(original)).toBe(original);
  });
});

describe('GeminiModel against the emulator', () => {
  let emulator: GeminiEmulator;
  let model: GeminiModel;
  const userMessage = (content: string): Message[] => [
    { role: 'user', parts: [{ type: 'text', content }] },
  ];

  beforeAll(async () => {
    emulator = await startGeminiEmulator();
    model = new GeminiModel({
      apiKey: 'k',
      modelName: 'gemini-2.0-flash',
      baseUrl: `${emulator.url}/`,
    });
  });
  afterAll(async () => {
    await emulator.close();
  });

  it('returns a turn with the tool calls the model asked for, through a base URL with a trailing slash', async () => {
    const turn = await model.generate({
      messages: userMessage('Calculate 17 * 23'),
      tools: [CALCULATOR],
      systemInstruction: 'Be brief.',
    });

    expect(turn.toolCalls).toEqual([
      {
        type: 'tool_call',
        id: expect.stringMatching(/^call_/),
        name: 'calculator',
        arguments: { expression: '17 * 23' },
      },
    ]);
    expect(turn.finishReasons).toEqual(['STOP']);
    expect(turn.responseModel).toBe('gemini-2.0-flash');
    expect(turn.responseId).toEqual(expect.any(String));
    expect(turn.usage.inputTokens).toBeGreaterThan(0);
    const sent = emulator.requests.at(-1)!;
    expect(sent.model).toBe('gemini-2.0-flash');
    expect(sent.headers['x-goog-api-key']).toBe('k');
    expect(sent.body.tools).toEqual([{ functionDeclarations: [CALCULATOR] }]);
    expect(sent.body.systemInstruction).toEqual({ role: 'system', parts: [{ text: 'Be brief.' }] });
  });

  it('declares no tools when it has none', async () => {
    const turn = await model.generate({ messages: userMessage('Calculate 17 * 23'), tools: [] });

    expect(emulator.requests.at(-1)?.body).not.toHaveProperty('tools');
    expect(turn.toolCalls).toEqual([]);
    expect(turn.text).toContain('Calculate 17 * 23');
  });

  it('reports the emulator as its endpoint', () => {
    expect(model.endpoint.href).toBe(`${emulator.url}/`);
    expect(model.endpoint.hostname).toBe('127.0.0.1');
    expect(model.endpoint.port).toBe(String(emulator.port));
    expect(model.providerName).toBe('gcp.gemini');
    expect(model.modelName).toBe('gemini-2.0-flash');
  });

  it('surfaces a 503 from the API as a model_unavailable ModelError', async () => {
    emulator.enqueue({ kind: 'error', status: 503, message: 'The model is overloaded.' });
    const failure = await model
      .generate({ messages: userMessage('Calculate 17 * 23'), tools: [CALCULATOR] })
      .catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(ModelError);
    expect(failure).toMatchObject({ errorType: 'model_unavailable', options: { status: 503 } });
    expect((failure as ModelError).options.cause).toBeInstanceOf(GoogleGenerativeAIFetchError);
  });

  it('surfaces a streamed answer its SDK cannot read (U+2028 in the text) as model_bad_response', async () => {
    // The SDK reads each event with /^data: (.*)\n\n/, and `.` stops at U+2028 and U+2029: it
    // never finds the event. Before: model_network_error, "could not be reached", and retried.
    emulator.enqueue({ kind: 'turn', parts: [{ text: 'a line\u2028and the next' }] });
    const failure = await model
      .generateStream({ messages: userMessage('anything'), tools: [], onChunk: () => {} })
      .catch((error: unknown) => error);

    expect(failure).toMatchObject({
      name: 'ModelError',
      errorType: 'model_bad_response',
      message: expect.stringContaining('GEMINI_SDK=genai'),
    });
  });

  it('surfaces a call aborted by its signal as model_timeout', async () => {
    emulator.enqueue({ kind: 'hang' });
    const before = emulator.requests.length;
    const controller = new AbortController();
    const call = model.generate({
      messages: userMessage('Calculate 17 * 23'),
      tools: [CALCULATOR],
      signal: controller.signal,
    });
    while (emulator.requests.length === before)
      await new Promise((resolve) => setImmediate(resolve));
    controller.abort();

    await expect(call).rejects.toMatchObject({ name: 'ModelError', errorType: 'model_timeout' });
  });
});
