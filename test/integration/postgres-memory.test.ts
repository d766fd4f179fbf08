import { startPglite, type PgliteProcess } from '../../dev/database/pglite-process';
import { startOtlpReceiver, type OtlpReceiver } from '../../dev/otlp/receiver';
import { startGeminiEmulator, type GeminiEmulator } from '../../src/emulator/emulator-server';
import request from '../support/contract-request';
import { readServerSentEvents } from '../support/server-sent-events';
import { spanTree } from '../support/span-tree';
import { spawnService, stopAllServices, type SpawnedService } from '../support/spawn-service';
import { until } from '../support/until';

/**
 * PostgreSQL memory with real processes: agent replicas on one database (PGlite on a loopback
 * port, through `pg` and its instrumentation), a model emulator that records what the model is
 * sent, and an OTLP receiver.
 */
let database: PgliteProcess;
let receiver: OtlpReceiver;
let model: GeminiEmulator;

beforeAll(async () => {
  [database, receiver, model] = await Promise.all([
    startPglite(),
    startOtlpReceiver(),
    startGeminiEmulator(),
  ]);
}, 120_000);
afterAll(async () => {
  await stopAllServices();
  await Promise.all([database.close(), receiver.stop(), model.close()]);
});

const agentOn = (env: Record<string, string> = {}) =>
  spawnService({
    env: {
      DATABASE_URL: database.url,
      GEMINI_BASE_URL: model.url,
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
      OTEL_BSP_SCHEDULE_DELAY: '50',
      MEMORY_MAX_TURNS: '200',
      AGENT_API_KEYS: 'key-a,key-b',
      ...env,
    },
  });

const execute = (service: SpawnedService, body: object, key = 'key-a') =>
  request(service.url)
    .post('/api/v1/agent/execute')
    .set('Authorization', `Bearer ${key}`)
    .send(body)
    .expect(200);

const erase = (service: SpawnedService, query: string, key = 'key-a') =>
  request(service.url).delete(`/api/v1/memory?${query}`).set('Authorization', `Bearer ${key}`);

/** The data of the stream's `run.finished` event. */
async function streamed(service: SpawnedService, body: object, key = 'key-a') {
  const response = await fetch(`${service.url}/api/v1/agent/stream`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify(body),
  });
  const { events } = await readServerSentEvents(response);
  return events.find((event) => event.event === 'run.finished')?.data as Record<string, unknown>;
}

const sendFeedback = (service: SpawnedService, body: object, key = 'key-a') =>
  request(service.url)
    .post('/api/v1/agent/feedback')
    .set('Authorization', `Bearer ${key}`)
    .send(body);

const lastModelRequest = () => JSON.stringify(model.requests.at(-1)!.body.contents);

async function traceOf(traceId: string) {
  await receiver.waitFor(
    (spans) => spans.some((span) => span.traceId === traceId && span.kind === 'SERVER'),
    { description: `the spans of trace ${traceId}` },
  );
  return spanTree(receiver.spansOfTrace(traceId));
}

describe('PostgreSQL memory across real processes', () => {
  let first: SpawnedService;
  let second: SpawnedService;
  beforeAll(async () => {
    [first, second] = await Promise.all([agentOn(), agentOn()]);
  }, 60_000);

  it('lets two replicas on one database continue each other’s sessions', async () => {
    await execute(first, { task: 'Calculate 17 * 23', user_id: 'ana', session_id: 'shared' });
    await execute(second, { task: 'And what is sampling?', user_id: 'ana', session_id: 'shared' });
    expect(lastModelRequest()).toContain('Calculate 17 * 23');
  });

  it('remembers after a restart', async () => {
    await execute(first, { task: 'Calculate 6 * 7', user_id: 'ana', session_id: 'durable' });
    await first.stop();
    first = await agentOn();
    await execute(first, { task: 'What did I ask?', user_id: 'ana', session_id: 'durable' });
    expect(lastModelRequest()).toContain('Calculate 6 * 7');
  });

  it("finds a fact from the user's earlier session and gives it to the model", async () => {
    await execute(first, {
      task: 'Remember that my cat Tortilla adores anchovies',
      user_id: 'bea',
      session_id: 'monday',
    });
    await execute(second, {
      task: 'What does Tortilla adore?',
      user_id: 'bea',
      session_id: 'tuesday',
    });
    expect(lastModelRequest()).toContain('my cat Tortilla adores anchovies');
  });

  it('remembers a task with NUL and a lone surrogate without a warning, as memory mode does', async () => {
    // PostgreSQL text cannot hold U+0000: the turn once failed as if the database were down.
    const inMemory = await agentOn({ DATABASE_URL: '' });
    for (const [mode, service] of [
      ['postgresql', first],
      ['in_memory', inMemory],
    ] as const) {
      const session = { user_id: 'hal', session_id: `odd-text-${mode}` };
      const odd = await execute(service, {
        task: 'Remember hi \u0000 there \ud800 now',
        ...session,
      });
      expect([mode, odd.body.warnings]).toEqual([mode, undefined]);

      const next = await execute(service, { task: 'What did I say?', ...session });
      expect([mode, next.body.warnings]).toEqual([mode, undefined]);
      expect(lastModelRequest()).toContain('Remember hi \uFFFD there \uFFFD now');
    }
    expect(first.output()).not.toMatch(/Memory is unavailable/);
    await inMemory.stop();
  });

  it('loses none of 100 concurrent writes to one session, from two replicas', async () => {
    // PGlite runs one query at a time for everyone: the waits are longer than a server's, and
    // the test's with them.
    const slowDatabase = {
      DATABASE_STATEMENT_TIMEOUT_MS: '20000',
      DATABASE_CONNECT_TIMEOUT_MS: '20000',
    };
    const replicas = await Promise.all([agentOn(slowDatabase), agentOn(slowDatabase)]);
    const answers = await Promise.all(
      Array.from({ length: 100 }, (_, index) =>
        execute(replicas[index % 2]!, {
          task: `Note ${index}`,
          user_id: 'cai',
          session_id: 'busy',
        }),
      ),
    );
    expect(answers.flatMap((answer) => answer.body.warnings ?? [])).toEqual([]);
    const erased = await erase(first, 'user_id=cai&session_id=busy').expect(200);
    expect(erased.body).toEqual({ erased: 100 });
    await Promise.all(replicas.map((replica) => replica.stop()));
  }, 120_000);

  it('takes feedback on replica B for a run replica A answered, in the run’s trace, a few per run', async () => {
    const run = await execute(first, { task: 'Calculate 8 * 8', user_id: 'gil' });
    const traceId = run.body.trace_id as string;
    expect(run.body.feedback).toEqual({
      url: '/api/v1/agent/feedback',
      expires_at: expect.any(String),
    });

    await sendFeedback(second, { trace_id: traceId, score: 1 }, 'key-b').expect(404);
    const taken = await Promise.all(
      Array.from({ length: 8 }, (_, index) =>
        sendFeedback(index % 2 ? first : second, { trace_id: traceId, label: 'right' }),
      ),
    );
    expect(taken.map((answer) => answer.status).sort()).toEqual([
      ...Array(5).fill(201),
      ...Array(3).fill(409),
    ]);

    await receiver.waitFor(
      (spans) =>
        spans.filter((span) => span.traceId === traceId && span.name === 'agent.feedback').length >=
        5,
      { description: 'the five feedback spans' },
    );
    const tree = spanTree(receiver.spansOfTrace(traceId));
    const task = tree.one('agent.task');
    const feedback = tree.spans.filter((span) => span.name === 'agent.feedback');
    expect(feedback).toHaveLength(5);
    for (const span of feedback) expect(span.parentSpanId).toBe(task.spanId);
    expect(new Set(feedback.map((span) => span.serviceName))).toEqual(new Set(['agent-service']));
  });

  it('erases exactly what it says, only within the caller’s own scope', async () => {
    for (const session of ['one', 'two'])
      await execute(first, {
        task: `Calculate 1 + 1 in ${session}`,
        user_id: 'dan',
        session_id: session,
      });
    await execute(first, { task: 'Calculate 2 + 2', user_id: 'dan', session_id: 'one' }, 'key-b');

    expect((await erase(first, 'user_id=dan&session_id=one').expect(200)).body).toEqual({
      erased: 1,
    });
    expect((await erase(second, 'user_id=dan').expect(200)).body).toEqual({ erased: 1 });
    expect((await erase(second, 'user_id=dan').expect(200)).body).toEqual({ erased: 0 });
    // Another key's turn of the same user and session is still there.
    expect((await erase(first, 'user_id=dan', 'key-b').expect(200)).body).toEqual({ erased: 1 });
  });

  it('refuses an erase request without a valid user_id, or with unknown parameters, as JSON', async () => {
    for (const query of ['', 'user_id=', 'user_id=a%20b', 'user_id=ana&everything=1']) {
      const response = await erase(first, query).expect(400);
      expect(response.body.error.code).toBe('invalid_request');
    }
  });

  it('traces the database calls under memory.* spans, with parameterized text and no user values', async () => {
    const secret = 'Zanzibar42';
    await execute(first, { task: `Remember ${secret}`, user_id: 'eve', session_id: 'trace' });
    const response = await execute(first, {
      task: `What about ${secret}?`,
      user_id: 'eve',
      session_id: 'trace',
    });
    const tree = await traceOf(response.body.trace_id);

    for (const name of ['memory.read', 'memory.search', 'memory.write']) {
      const memory = tree.one(name);
      expect(memory.attributes['memory.backend']).toBe('postgresql');
      const queries = tree
        .childrenOf(memory)
        .filter((span) => span.kind === 'CLIENT' && !span.name.includes('connect'));
      expect(queries.length).toBeGreaterThan(0);
      for (const query of queries) {
        expect(query.attributes['db.system.name']).toBe('postgresql');
        expect(String(query.attributes['db.query.text'])).toMatch(/\$1/);
        expect(String(query.attributes['db.query.text'])).not.toMatch(/eve|trace/);
      }
    }
    const exported = JSON.stringify(tree.spans, (_key, value: unknown) =>
      typeof value === 'bigint' ? String(value) : value,
    );
    expect(exported).not.toContain(secret);
  });
});

describe('when the database goes away under load', () => {
  it('fails the memory check of /readyz while the database is away, without its URL, and passes once it is back', async () => {
    const service = await agentOn();
    const memoryCheck = async () => {
      const response = await request(service.url).get('/readyz');
      const checks = response.body.checks as { name: string; status: string; reason?: string }[];
      return { check: checks.find(({ name }) => name === 'memory'), text: response.text };
    };
    expect((await memoryCheck()).check).toEqual({ name: 'memory', status: 'pass' });
    await database.stop();
    try {
      await until(async () => (await memoryCheck()).check?.status === 'fail', 'memory to fail');
      const { check, text } = await memoryCheck();
      expect(check?.reason).toMatch(/^The memory database (could not be reached|did not answer)/);
      expect(text).not.toContain(new URL(database.url).host);
    } finally {
      await database.start();
    }
    await until(
      async () => (await memoryCheck()).check?.status === 'pass',
      'memory to pass again',
      20_000,
    );
  }, 60_000);

  it('answers every run without memory and with a warning, then remembers again once it is back', async () => {
    const service = await agentOn();
    const before = await execute(service, {
      task: 'Calculate 3 * 3',
      user_id: 'fay',
      session_id: 'outage',
    });

    await database.stop();
    const during = await Promise.all(
      Array.from({ length: 10 }, (_, index) =>
        execute(service, { task: `Calculate ${index} + 1`, user_id: 'fay', session_id: 'outage' }),
      ),
    );
    for (const answer of during) {
      expect(answer.body.warnings).toEqual([
        { code: 'memory_unavailable', message: expect.any(String) },
      ]);
    }
    // The stream's run.finished is the body execute answers, warnings included.
    const finished = await streamed(service, {
      task: 'Calculate 4 + 4',
      user_id: 'fay',
      session_id: 'outage',
    });
    expect(finished.warnings).toEqual(during[0]!.body.warnings);
    const failed = await traceOf(during[0]!.body.trace_id);
    expect(failed.one('memory.read').status).toMatchObject({ code: 'ERROR' });
    // Once a minute at most for each kind of failure, and the kind is named.
    const failures = service
      .output()
      .split('\n')
      .filter((line) => line.includes('Memory is unavailable'))
      .map((line) => (JSON.parse(line) as { failure: string }).failure);
    expect(failures).toContain('ECONNREFUSED');
    expect(new Set(failures).size).toBe(failures.length);
    expect((await erase(service, 'user_id=fay').expect(503)).body.error.code).toBe(
      'memory_unavailable',
    );
    // A run answered while the database is away takes no feedback: its answer has no link, and
    // feedback on an earlier run is refused for now.
    expect(during[0]!.body.feedback).toBeUndefined();
    const refused = await sendFeedback(service, { trace_id: before.body.trace_id, score: 1 });
    expect(refused.status).toBe(503);
    expect(refused.body.error.code).toBe('feedback_unavailable');

    await database.start();
    const after = await execute(service, {
      task: 'What did I ask?',
      user_id: 'fay',
      session_id: 'outage',
    });
    expect(after.body.warnings).toBeUndefined();
    expect(
      (await streamed(service, { task: 'Calculate 5 + 5', user_id: 'fay' })).warnings,
    ).toBeUndefined();
    expect(lastModelRequest()).toContain('Calculate 3 * 3');
    await sendFeedback(service, { trace_id: before.body.trace_id, score: 1 }).expect(201);
  }, 60_000);
});
