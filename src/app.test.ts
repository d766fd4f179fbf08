import type { AddressInfo } from 'node:net';
import express from 'express';
import pino from 'pino';
import request from 'supertest';
import { createTestAgent } from '../test/support/agent-fixture';
import { installInMemoryTracing, serverSpanMiddleware } from '../test/support/in-memory-tracing';
import { SubAgentClient } from './agent/sub-agent-client';
import { createApp } from './app';
import { LIMITS } from './limits';
import { AgentTracer } from './tracing/agent-tracer';
import { startGeminiEmulator, type GeminiEmulator } from './emulator/emulator-server';
import { createAgentRouter, createSubAgentRouter } from '../test/support/agent-routers';
import { holdEveryRun, testAdmission } from '../test/support/admission';
import type { ScriptedReply } from './emulator/scripted-reply';
import { parseServerSentEvents, readServerSentEvents } from '../test/support/server-sent-events';

const tracing = installInMemoryTracing();
let emulator: GeminiEmulator;
let app: express.Express;
const EXECUTE = '/api/v1/agent/execute';

beforeAll(async () => {
  emulator = await startGeminiEmulator();
  // Nothing listens on port 9: the delegation routes are tested against real processes
  // (test/integration).
  const subAgent = new SubAgentClient({ baseUrl: 'http://127.0.0.1:9', timeoutMs: 1_000 });
  app = createApp({
    logger: pino({ level: 'silent' }),
    routers: [createAgentRouter(createTestAgent({ emulator }), subAgent, new AgentTracer())],
  });
  // What the http instrumentation does in a real process: the request runs in a SERVER span.
  app = express().use(serverSpanMiddleware, app);
});
afterAll(async () => {
  await emulator.close();
  await tracing.shutdown();
});

const expectJsonError = (response: request.Response, status: number, code: string) => {
  expect(response.status).toBe(status);
  expect(response.headers['content-type']).toMatch(/application\/json/);
  expect(response.body).toEqual({ error: { code, message: expect.any(String) } });
};

describe('POST /api/v1/agent/execute', () => {
  it('answers with the run, its steps, usage and the trace id, also in X-Trace-Id', async () => {
    const response = await request(app).post(EXECUTE).send({
      task: 'Calculate 17 * 23 and search the knowledge base for context propagation',
      user_id: 'ana',
      session_id: 's1',
    });

    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      response: expect.stringContaining('391'),
      steps: [{ step: 1, tools_called: ['calculator', 'search_knowledge_base'] }],
      total_steps: 1,
      stopped_reason: 'completed',
      trace_id: expect.stringMatching(/^[0-9a-f]{32}$/),
      usage: {
        input_tokens: expect.any(Number),
        output_tokens: expect.any(Number),
        // This agent has no pricing: the cost is unknown, not 0.
        cost_usd: null,
      },
      feedback: { url: '/api/v1/agent/feedback', expires_at: expect.any(String) },
    });
    expect(response.headers['x-trace-id']).toBe(response.body.trace_id);
    expect(tracing.one('agent.task').spanContext().traceId).toBe(response.body.trace_id);
  });

  it('honours max_steps', async () => {
    emulator.enqueue(
      {
        kind: 'turn',
        parts: [{ functionCall: { name: 'calculator', args: { expression: '1+1' } } }],
      },
      {
        kind: 'turn',
        parts: [{ functionCall: { name: 'calculator', args: { expression: '1+2' } } }],
      },
    );
    const response = await request(app).post(EXECUTE).send({ task: 'loop', max_steps: 1 });
    expect(response.body).toMatchObject({ total_steps: 1, stopped_reason: 'max_steps' });
  });

  it.each([
    ['a missing task', {}, /task/],
    ['an empty task', { task: '   ' }, /task: must not be empty/],
    ['a task of zero-width spaces', { task: '\u200b\u200b' }, /task: must not be empty/],
    [
      'a task of format characters and whitespace',
      { task: '\u00a0\ufeff \u2060\u00ad\u2003\u200b' },
      /task: must not be empty/,
    ],
    ['a task that is not a string', { task: 42 }, /task/],
    ['an over-long task', { task: 'x'.repeat(LIMITS.maxTaskLength + 1) }, /task/],
    ['max_steps out of range', { task: 'hi', max_steps: 26 }, /max_steps/],
    ['max_steps that is not an integer', { task: 'hi', max_steps: 1.5 }, /max_steps/],
    ['a user_id that is an object', { task: 'hi', user_id: { id: 1 } }, /user_id/],
    ['a session_id that is too long', { task: 'hi', session_id: 's'.repeat(500) }, /session_id/],
    ['an unknown field', { task: 'hi', maxSteps: 3 }, /unknown field\(s\): maxSteps/],
    ['an array body', [1, 2], /body|expected object/],
    ['a user_id that is an array', { task: 'hi', user_id: ['a'] }, /user_id/],
    ['a user_id that is a number', { task: 'hi', user_id: 7 }, /user_id/],
    ['a session_id with spaces and markup', { task: 'hi', session_id: '<script> x' }, /session_id/],
    ['max_steps that is a string', { task: 'hi', max_steps: '3' }, /max_steps/],
    ['max_steps of zero', { task: 'hi', max_steps: 0 }, /max_steps/],
  ])('answers 400 invalid_request for %s, saying what to fix', async (_case, body, message) => {
    const response = await request(app)
      .post(EXECUTE)
      .send(body as object);
    expectJsonError(response, 400, 'invalid_request');
    expect(response.body.error.message).toMatch(message);
  });

  it('answers 400 invalid_json for malformed JSON', async () => {
    const response = await request(app)
      .post(EXECUTE)
      .set('content-type', 'application/json')
      .send('{"task": ');
    expectJsonError(response, 400, 'invalid_json');
  });

  it('answers 400 invalid_request for a JSON body that is a string, not an object', async () => {
    const response = await request(app)
      .post(EXECUTE)
      .set('content-type', 'application/json')
      .send('"just a string"');
    expectJsonError(response, 400, 'invalid_request');
    expect(response.body.error.message).toMatch(/expected object/);
  });

  it('answers 415 for a body that is not JSON', async () => {
    const response = await request(app)
      .post(EXECUTE)
      .set('content-type', 'text/plain')
      .send('task=hi');
    expectJsonError(response, 415, 'unsupported_media_type');
  });

  it('answers 413 for a body over the size limit', async () => {
    const response = await request(app)
      .post(EXECUTE)
      .send({ task: 'x'.repeat(200_000) });
    expectJsonError(response, 413, 'payload_too_large');
  });

  it('answers a gateway error naming the cause when the model API fails', async () => {
    const failure = { kind: 'error', status: 500, message: 'backend exploded' } as const;
    emulator.enqueue(failure, failure, failure, failure);
    const response = await request(app).post(EXECUTE).send({ task: 'anything' });
    expectJsonError(response, 502, 'model_unavailable');
    expect(response.body.error.message).toMatch(/500/);
  });
});

describe('admission (src/http/admission/)', () => {
  it.each([
    '/api/v1/agent/execute',
    '/api/v1/agent/stream',
    '/api/v1/agent/delegate',
    '/api/v1/execute',
  ])(
    'admits a run on %s only once its body is valid: 400 for an invalid body while every place is taken, 503 overloaded for a valid one',
    async (path) => {
      const admission = testAdmission(1);
      const subAgent = new SubAgentClient({ baseUrl: 'http://127.0.0.1:9', timeoutMs: 1_000 });
      const agent = createTestAgent({ emulator });
      const limited = createApp({
        logger: pino({ level: 'silent' }),
        routers: [
          createAgentRouter(agent, subAgent, new AgentTracer(), { admission }),
          createSubAgentRouter(agent, { admission }),
        ],
      });
      const release = holdEveryRun(admission);
      try {
        // Before: the place was taken before the body was read, and this was 503 too.
        const invalid = await request(limited).post(path).send({ task: 'hi', stars: 5 });
        expectJsonError(invalid, 400, 'invalid_request');
        const valid = await request(limited).post(path).send({ task: 'Calculate 1 + 2' });
        expectJsonError(valid, 503, 'overloaded');
        expect(valid.headers['retry-after']).toBe('1');
      } finally {
        release();
      }
    },
  );
});

describe('API keys and rate limits', () => {
  const keyed = (rateLimitPerMinute = 2) =>
    createApp({
      logger: pino({ level: 'silent' }),
      routers: [
        createAgentRouter(
          createTestAgent({ emulator }),
          new SubAgentClient({ baseUrl: 'http://127.0.0.1:9', timeoutMs: 1_000 }),
          new AgentTracer(),
        ),
      ],
      apiKeys: ['key-one', 'key-two'],
      rateLimitPerMinute,
    });

  it('answers 401 without a key or with a wrong one, and lets a right one through (either header)', async () => {
    const api = keyed();
    expectJsonError(await request(api).post(EXECUTE).send({ task: 'hi' }), 401, 'unauthorized');
    const wrong = await request(api)
      .post(EXECUTE)
      .set('Authorization', 'Bearer key-three')
      .send({ task: 'hi' });
    expectJsonError(wrong, 401, 'unauthorized');
    expect(wrong.headers['www-authenticate']).toBe('Bearer');
    await request(api)
      .post(EXECUTE)
      .set('Authorization', 'Bearer key-one')
      .send({ task: 'Calculate 1 + 1' })
      .expect(200);
    await request(api)
      .post(EXECUTE)
      .set('X-API-Key', 'key-two')
      .send({ task: 'Calculate 1 + 1' })
      .expect(200);
    await request(api).get('/healthz').expect(200);
  });

  it('slows down key guessing: 429 after 20 failed authentications a minute from one address', async () => {
    const api = keyed();
    for (let attempt = 0; attempt < 20; attempt += 1)
      await request(api)
        .post(EXECUTE)
        .set('X-API-Key', `guess-${attempt}`)
        .send({ task: 'hi' })
        .expect(401);
    const limited = await request(api)
      .post(EXECUTE)
      .set('X-API-Key', 'guess-21')
      .send({ task: 'hi' });
    expectJsonError(limited, 429, 'rate_limited');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expectJsonError(
      await request(api).post(EXECUTE).send({ task: 'no key at all' }),
      429,
      'rate_limited',
    );
  });

  it('still lets a valid key through from an address that failed 22 times', async () => {
    const api = keyed(0);
    for (let attempt = 0; attempt < 22; attempt += 1)
      await request(api).post(EXECUTE).set('X-API-Key', `guess-${attempt}`).send({ task: 'hi' });
    await request(api)
      .post(EXECUTE)
      .set('X-API-Key', 'key-one')
      .send({ task: 'Calculate 1 + 1' })
      .expect(200);
  });

  it('never counts requests with a valid key as failures: 40 in flight at once all answer 200', async () => {
    // Each request is held until all 40 have arrived, so all of them are in flight together.
    const total = 40;
    let arrived = 0;
    let release = () => {};
    const allArrived = new Promise<void>((resolve) => (release = resolve));
    const barrier = express.Router().post('/barrier', async (_request, response) => {
      arrived += 1;
      if (arrived === total) release();
      await allArrived;
      response.json({ ok: true });
    });
    const server = createApp({
      logger: pino({ level: 'silent' }),
      routers: [barrier],
      apiKeys: ['key-one'],
    }).listen(0, '127.0.0.1');
    try {
      const statuses = await Promise.all(
        Array.from({ length: total }, () =>
          request(server)
            .post('/barrier')
            .set('Authorization', 'Bearer key-one')
            .then((response) => {
              // A refused request never reaches the barrier: let the others go rather than wait
              // forever.
              if (response.status !== 200) release();
              return response.status;
            }),
        ),
      );
      expect(statuses).toEqual(Array.from({ length: total }, () => 200));
    } finally {
      server.close();
    }
  });

  it('sends no RateLimit headers when RATE_LIMIT_PER_MINUTE is unset, on answers and on refusals', async () => {
    const api = keyed(0);
    const answered = await request(api)
      .post(EXECUTE)
      .set('X-API-Key', 'key-one')
      .send({ task: 'Calculate 1 + 1' })
      .expect(200);
    const refused = await request(api)
      .post(EXECUTE)
      .set('X-API-Key', 'wrong')
      .send({ task: 'hi' })
      .expect(401);
    for (const response of [answered, refused])
      expect(Object.keys(response.headers).filter((name) => name.startsWith('ratelimit'))).toEqual(
        [],
      );
  });

  it('answers 429 with Retry-After past the per-minute limit, counting per key', async () => {
    const api = keyed();
    const send = (key: string) =>
      request(api).post(EXECUTE).set('X-API-Key', key).send({ task: 'Calculate 1 + 1' });
    await send('key-one').expect(200);
    await send('key-one').expect(200);
    const limited = await send('key-one');
    expectJsonError(limited, 429, 'rate_limited');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    await send('key-two').expect(200);
  });
});

describe('other routes', () => {
  it('answers GET /healthz with 200', async () => {
    const response = await request(app).get('/healthz');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: 'ok' });
  });

  it('answers unknown routes with a 404 JSON error', async () => {
    expectJsonError(await request(app).get('/nope'), 404, 'not_found');
  });

  it.each([
    ['GET', EXECUTE, 'POST'],
    ['PUT', '/api/v1/agent/delegate', 'POST'],
    ['DELETE', '/healthz', 'GET'],
  ])(
    'answers %s %s with a 405 JSON error that names the allowed method',
    async (method, path, allowed) => {
      const response = await request(app)[method.toLowerCase() as 'get' | 'put' | 'delete'](path);
      expectJsonError(response, 405, 'method_not_allowed');
      expect(response.headers.allow).toBe(allowed);
    },
  );

  it("answers JSON when a route fails after describing an answer of its own (a file's type, range, date)", async () => {
    const failing = express.Router().get('/file', (_request, response, next) => {
      response.set({
        'Content-Type': 'text/css; charset=utf-8',
        'Content-Range': 'bytes */100',
        'Last-Modified': new Date(0).toUTCString(),
      });
      next(new Error('the disk went away'));
    });
    const response = await request(
      createApp({ logger: pino({ level: 'silent' }), routers: [failing] }),
    ).get('/file');
    expectJsonError(response, 500, 'internal_error');
    expect(response.headers['content-range']).toBeUndefined();
    expect(response.headers['last-modified']).toBeUndefined();
  });

  it('sends the security headers of helmet', async () => {
    const response = await request(app).get('/healthz');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(response.headers['strict-transport-security']).toMatch(/max-age=/);
    expect(response.headers['x-powered-by']).toBeUndefined();
  });

  it('is still up after all the bad input above', async () => {
    await request(app).get('/healthz').expect(200);
    await request(app).post(EXECUTE).send({ task: 'Calculate 1 + 2' }).expect(200);
  });
});

describe('POST /api/v1/agent/stream', () => {
  const STREAM = '/api/v1/agent/stream';
  const slowTurn: ScriptedReply = {
    kind: 'turn',
    parts: [{ text: 'A slow answer in several pieces of whole words.' }],
    chunkDelayMs: 150,
  };

  /** The agent's app with one run slot and a fast heartbeat, listening on a loopback port. */
  async function listeningStreamApp(
    apiKeys: string[] = [],
    sdk: 'generative-ai' | 'genai' = 'generative-ai',
  ) {
    const subAgent = new SubAgentClient({ baseUrl: 'http://127.0.0.1:9', timeoutMs: 1_000 });
    const agentRouter = createAgentRouter(
      createTestAgent({ emulator, sdk }),
      subAgent,
      new AgentTracer(),
      { heartbeatMs: 20, admission: testAdmission(1) },
    );
    const server = createApp({
      logger: pino({ level: 'silent' }),
      routers: [agentRouter],
      apiKeys,
    }).listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const { port } = server.address() as AddressInfo;
    const close = () => {
      server.close();
      server.closeAllConnections();
    };
    return { server, url: `http://127.0.0.1:${port}`, close };
  }

  it('sends a comment line while the run is quiet, so that proxies keep the stream open', async () => {
    emulator.enqueue(slowTurn);
    const { server, close } = await listeningStreamApp();
    try {
      const response = await request(server).post(STREAM).send({ task: 'anything' }).expect(200);
      expect(response.text).toMatch(/^: keep-alive$/m);
      expect(response.text).toMatch(/^event: run\.finished$/m);
    } finally {
      close();
    }
  });

  it('escapes U+2028 and U+2029 in event data, so that a client splitting lines on them reads whole events', async () => {
    emulator.enqueue({ kind: 'turn', parts: [{ text: 'one\u2028two\u2029three' }] });
    // Through @google/genai, whose reader takes them (the other SDK's does not: see
    // src/models/gemini/classify-gemini-error.ts).
    const { server, close } = await listeningStreamApp([], 'genai');
    try {
      const response = await request(server).post(STREAM).send({ task: 'anything' }).expect(200);
      // Before: raw, as JSON.stringify leaves them; Python's splitlines() and a `.` in a regex
      // (the reader of @google/generative-ai) end a line there, in the middle of the JSON.
      expect(response.text).not.toMatch(/[\u2028\u2029]/);
      const finished = parseServerSentEvents(response.text).find(
        (event) => event.event === 'run.finished',
      );
      expect(finished?.data).toMatchObject({ response: 'one\u2028two\u2029three' });
    } finally {
      close();
    }
  });

  it('counts among the runs in flight like execute', async () => {
    emulator.enqueue(slowTurn);
    const { server, url, close } = await listeningStreamApp();
    const client = new AbortController();
    try {
      const streamed = await fetch(`${url}${STREAM}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ task: 'anything' }),
        signal: client.signal,
      });
      await readServerSentEvents(streamed, (events) => events.length > 0);
      const refused = await request(server).post(EXECUTE).send({ task: 'Calculate 1 + 2' });
      expectJsonError(refused, 503, 'overloaded');
    } finally {
      client.abort();
      close();
    }
  });

  it('refuses a request without a key with an ordinary 401, before any stream', async () => {
    const { server, close } = await listeningStreamApp(['key-one']);
    try {
      expectJsonError(
        await request(server).post(STREAM).send({ task: 'anything' }),
        401,
        'unauthorized',
      );
    } finally {
      close();
    }
  });

  it('answers 405 to another method', async () => {
    expectJsonError(await request(app).get(STREAM), 405, 'method_not_allowed');
  });
});
