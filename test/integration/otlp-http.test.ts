import request from 'supertest';
import { startOtlpReceiver, type ReceivedSpan } from '../../dev/otlp/receiver';
import { spawnService, stopAllServices, type SpawnedService } from '../support/spawn-service';
import { completeTraceOf } from '../support/collect';

/**
 * "Calculate 2 + 2": server, agent.task, memory.read, 2 × (llm.generate + POST),
 * agent.step.reasoning, tool.calculator, memory.write.
 */
const SPANS_PER_REQUEST = 10;
const TASK = { task: 'Calculate 2 + 2' };
/** `pk:sk` in base64, as Langfuse wants it; the space is percent-encoded, as the spec asks. */
const AUTHORIZATION = 'Basic cGs6c2s=';
const HEADERS_VARIABLE = 'Authorization=Basic%20cGs6c2s=,x-tenant=a%2Cb';

afterAll(() => stopAllServices());

async function until(condition: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function run(service: SpawnedService): Promise<string> {
  const response = await request(service.url).post('/api/v1/agent/execute').send(TASK).expect(200);
  return response.body.trace_id as string;
}

const traceOf = completeTraceOf;

/** Each span as `name (KIND) < parent name`, sorted: the tree, without ids and times. */
function shape(spans: readonly ReceivedSpan[]): string[] {
  const byId = new Map(spans.map((span) => [span.spanId, span]));
  return spans
    .map((span) => `${span.name} (${span.kind}) < ${byId.get(span.parentSpanId)?.name ?? 'root'}`)
    .sort();
}

async function treeOverGrpc(): Promise<string[]> {
  const receiver = await startOtlpReceiver();
  const service = await spawnService({
    env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint, OTEL_BSP_SCHEDULE_DELAY: '50' },
  });
  try {
    return shape(await traceOf(receiver, await run(service)));
  } finally {
    await service.stop();
    await receiver.stop();
  }
}

describe.each(['http/protobuf', 'http/json'])('exporting over OTLP/HTTP (%s)', (protocol) => {
  it('posts to /v1/traces under the base endpoint, with the percent-decoded headers, the same tree as over gRPC', async () => {
    const receiver = await startOtlpReceiver({ transport: 'http' });
    const service = await spawnService({
      env: {
        OTEL_EXPORTER_OTLP_PROTOCOL: protocol,
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
        OTEL_EXPORTER_OTLP_HEADERS: HEADERS_VARIABLE,
        OTEL_BSP_SCHEDULE_DELAY: '50',
      },
    });
    try {
      const spans = await traceOf(receiver, await run(service));

      expect(spans).toHaveLength(SPANS_PER_REQUEST);
      expect(receiver.requests.length).toBeGreaterThan(0);
      for (const received of receiver.requests) {
        expect(received).toMatchObject({ path: '/v1/traces', protocol });
        expect(received.headers).toMatchObject({ authorization: AUTHORIZATION, 'x-tenant': 'a,b' });
      }
      expect(shape(spans)).toEqual(await treeOverGrpc());
    } finally {
      await service.stop();
      await receiver.stop();
    }
  });
});

it('uses OTEL_EXPORTER_OTLP_TRACES_ENDPOINT as given, and the traces protocol over the general one', async () => {
  const receiver = await startOtlpReceiver({ transport: 'http' });
  const service = await spawnService({
    env: {
      OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc',
      OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/json',
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${receiver.endpoint}/api/public/otel/v1/traces`,
      OTEL_BSP_SCHEDULE_DELAY: '50',
    },
  });
  try {
    await traceOf(receiver, await run(service));
    expect(receiver.requests[0]).toMatchObject({
      path: '/api/public/otel/v1/traces',
      protocol: 'http/json',
    });
  } finally {
    await service.stop();
    await receiver.stop();
  }
});

it('over OTLP/HTTP, loses no span of the runs made after the endpoint comes back', async () => {
  let receiver = await startOtlpReceiver({ transport: 'http' });
  const service = await spawnService({
    env: {
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
      OTEL_BSP_SCHEDULE_DELAY: '50',
    },
  });
  try {
    await traceOf(receiver, await run(service));
    await receiver.stop();
    // Spans of runs made while the endpoint is down may be lost; the runs are not.
    for (let i = 0; i < 5; i++) await run(service);
    await until(() => service.output().includes('Span export is failing'));
    receiver = await startOtlpReceiver({ transport: 'http', port: receiver.port });

    const afterwards: string[] = [];
    for (let i = 0; i < 20; i++) afterwards.push(await run(service));
    const wanted = new Set(afterwards);
    await receiver.waitFor(
      (spans) => spans.filter((span) => wanted.has(span.traceId)).length === 20 * SPANS_PER_REQUEST,
      {
        description: 'every span of the runs made after the endpoint came back',
        timeoutMs: 20_000,
      },
    );
    expect(service.output()).toContain('Span export recovered');
  } finally {
    await service.stop();
    await receiver.stop();
  }
});

it('over OTLP/HTTP, flushes every span on SIGTERM and exits 0', async () => {
  const receiver = await startOtlpReceiver({ transport: 'http' });
  // Nothing is exported on schedule: only the shutdown flush can deliver the spans.
  const service = await spawnService({
    env: {
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
      OTEL_BSP_SCHEDULE_DELAY: '600000',
    },
  });
  try {
    const traceIds = await Promise.all(Array.from({ length: 5 }, () => run(service)));
    expect(receiver.spanCount).toBe(0);

    expect(await service.stop('SIGTERM')).toBe(0);
    const wanted = new Set(traceIds);
    expect(receiver.spans.filter((span) => wanted.has(span.traceId))).toHaveLength(
      5 * SPANS_PER_REQUEST,
    );
  } finally {
    await service.stop();
    await receiver.stop();
  }
});

it("records feedback on a fresh run in the run's exported trace, under its agent.task", async () => {
  const receiver = await startOtlpReceiver({ transport: 'http' });
  const service = await spawnService({
    env: {
      AGENT_API_KEYS: 'key-one-0123456789,key-two-0123456789',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
      OTEL_BSP_SCHEDULE_DELAY: '50',
    },
  });
  const as = (key: string) => ({ Authorization: `Bearer ${key}` });
  try {
    const answer = await request(service.url)
      .post('/api/v1/agent/execute')
      .set(as('key-one-0123456789'))
      .send(TASK)
      .expect(200);
    const traceId = answer.body.trace_id as string;
    const feedback = { trace_id: traceId, score: 5, label: 'thumbs_up' };

    await request(service.url)
      .post(answer.body.feedback.url)
      .set(as('key-two-0123456789'))
      .send(feedback)
      .expect(404);
    await request(service.url)
      .post(answer.body.feedback.url)
      .set(as('key-one-0123456789'))
      .send(feedback)
      .expect(201);

    await receiver.waitFor((spans) =>
      spans.some((span) => span.traceId === traceId && span.name === 'agent.feedback'),
    );
    const spans = receiver.spansOfTrace(traceId);
    const task = spans.find((span) => span.name === 'agent.task')!;
    const [recorded, ...others] = spans.filter((span) => span.name === 'agent.feedback');
    expect(others).toEqual([]);
    expect(recorded!.parentSpanId).toBe(task.spanId);
    expect(recorded!.events).toEqual([
      {
        name: 'gen_ai.evaluation.result',
        timeUnixNano: expect.any(BigInt),
        attributes: {
          'gen_ai.evaluation.name': 'user_feedback',
          'gen_ai.evaluation.score.value': 5,
          'gen_ai.evaluation.score.label': 'thumbs_up',
        },
      },
    ]);
  } finally {
    await service.stop();
    await receiver.stop();
  }
});
