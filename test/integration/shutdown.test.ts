import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import request from '../support/contract-request';
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from '../../dev/otlp/receiver';
import { startGeminiEmulator, type GeminiEmulator } from '../../src/emulator/emulator-server';
import { freePort } from '../../dev/process/spawn-service';
import { spawnService, stopAllServices, type SpawnedService } from '../support/spawn-service';
import { until } from '../support/until';

/**
 * "Calculate 2 + 2": server, agent.task, memory.read, 2 × (llm.generate + POST),
 * agent.step.reasoning, tool.calculator, memory.write.
 */
const SPANS_PER_REQUEST = 10;
const TASK = { task: 'Calculate 2 + 2' };
const EXECUTE = '/api/v1/agent/execute';

let receiver: OtlpReceiver;
beforeAll(async () => {
  receiver = await startOtlpReceiver();
});
afterAll(async () => {
  await stopAllServices();
  await receiver.stop();
});

/** A sub-agent that accepts requests and never answers them. */
async function startHangingSubAgent() {
  const requests: http.IncomingMessage[] = [];
  const server = http.createServer((incoming) => void requests.push(incoming));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function spansOfTrace(traceId: string): ReceivedSpan[] {
  return receiver.spans.filter((span) => span.traceId === traceId);
}

/** Name, status and `error.type` of every span of the trace with that name. */
function outcomesOf(traceId: string, name: string) {
  return spansOfTrace(traceId)
    .filter((span) => span.name === name)
    .map((span) => ({ name, status: span.status.code, errorType: span.attributes['error.type'] }));
}

const startService = (env: Record<string, string>) =>
  spawnService({
    env: {
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
      OTEL_BSP_SCHEDULE_DELAY: '600000',
      ...env,
    },
  });

describe('graceful shutdown', () => {
  let slowModel: GeminiEmulator;
  let service: SpawnedService | undefined;
  beforeAll(async () => {
    slowModel = await startGeminiEmulator({ latencyMs: 500 });
  });
  afterEach(async () => {
    await service?.stop('SIGKILL');
  });
  afterAll(async () => {
    await slowModel.close();
  });

  it.each(['SIGTERM', 'SIGINT'] as const)(
    'ignores a second %s while requests are in flight: answers them all, exports every span, exits 0',
    async (signal) => {
      service = await startService({ GEMINI_BASE_URL: slowModel.url });
      const running = service;
      const modelCallsBefore = slowModel.requests.length;
      const inFlight = Array.from({ length: 6 }, () =>
        request(running.url)
          .post(EXECUTE)
          .send(TASK)
          .then((response) => response),
      );
      await until(
        () => slowModel.requests.length - modelCallsBefore >= 6,
        'every request to reach the model',
      );

      const exitCode = running.stop(signal);
      await until(() => running.output().includes('Shutting down'), 'the shutdown to begin');
      void running.stop(signal);
      void running.stop(signal);

      const answered = await Promise.all(inFlight);
      expect(answered.map((response) => response.status)).toEqual(Array(6).fill(200));
      expect(await exitCode).toBe(0);
      for (const response of answered)
        expect(spansOfTrace(response.body.trace_id as string)).toHaveLength(SPANS_PER_REQUEST);
      // Said once, however many signals follow.
      expect(running.output().match(/Shutdown already in progress/g)).toHaveLength(1);
    },
  );

  it('cuts runs longer than SHUTDOWN_TIMEOUT_MS: answers 503, exports their spans as ERROR shutdown_timeout, exits 1', async () => {
    const model = await startGeminiEmulator();
    const subAgent = await startHangingSubAgent();
    try {
      service = await startService({
        GEMINI_BASE_URL: model.url,
        SUB_AGENT_URL: subAgent.url,
        SHUTDOWN_TIMEOUT_MS: '500',
      });
      const running = service;
      // One run waits for a tool (the sub-agent never answers), one for the model, one on
      // /delegate.
      model.enqueue({
        kind: 'turn',
        parts: [{ functionCall: { name: 'delegate_to_subagent', args: { task: 'research' } } }],
      });
      const inTool = request(running.url)
        .post(EXECUTE)
        .send({ task: 'Ask the sub-agent' })
        .then((response) => response);
      await until(() => subAgent.requests.length === 1, 'the tool to call the sub-agent');
      model.enqueue({ kind: 'hang' });
      const modelCallsBefore = model.requests.length;
      const inModel = request(running.url)
        .post(EXECUTE)
        .send(TASK)
        .then((response) => response);
      await until(() => model.requests.length > modelCallsBefore, 'the model call');
      const inDelegation = request(running.url)
        .post('/api/v1/agent/delegate')
        .send(TASK)
        .then((response) => response);
      await until(() => subAgent.requests.length === 2, 'the delegation');

      const exitCode = running.stop('SIGTERM');
      const answered = await Promise.all([inTool, inModel, inDelegation]);
      for (const response of answered) {
        expect({ status: response.status, code: response.body.error?.code }).toEqual({
          status: 503,
          code: 'shutdown_timeout',
        });
      }
      // Not everything finished: the exit code says so.
      expect(await exitCode).toBe(1);

      const [tool, inModelCall, delegation] = answered.map(
        (response) => response.headers['x-trace-id'] as string,
      );
      const failed = (name: string) => ({ name, status: 'ERROR', errorType: 'shutdown_timeout' });
      expect(outcomesOf(tool!, 'agent.task')).toEqual([failed('agent.task')]);
      expect(outcomesOf(tool!, 'tool.delegate_to_subagent')).toEqual([
        failed('tool.delegate_to_subagent'),
      ]);
      expect(outcomesOf(inModelCall!, 'agent.task')).toEqual([failed('agent.task')]);
      expect(outcomesOf(inModelCall!, 'llm.generate')).toEqual([failed('llm.generate')]);
      expect(outcomesOf(delegation!, 'agent.delegate')).toEqual([failed('agent.delegate')]);
      for (const traceId of [tool!, inModelCall!, delegation!]) {
        const server = spansOfTrace(traceId).filter((span) => span.kind === 'SERVER');
        expect(
          server.map((span) => [span.attributes['http.response.status_code'], span.status.code]),
        ).toEqual([[503, 'ERROR']]);
      }
      // The model call that was cut ends too (its HTTP client span).
      expect(spansOfTrace(inModelCall!).filter((span) => span.name === 'POST')).toHaveLength(1);
    } finally {
      await service?.stop('SIGKILL');
      await subAgent.close();
      await model.close();
    }
  });

  it('closes a request whose body is still arriving at SHUTDOWN_TIMEOUT_MS, exports its server span, exits 1', async () => {
    service = await startService({ SHUTDOWN_TIMEOUT_MS: '300' });
    const { port, hostname } = new URL(service.url);
    const exportsBefore = receiver.spans.length;
    const client = net.connect(Number(port), hostname);
    client.on('error', () => {});
    const clientClosed = new Promise((resolve) => client.once('close', resolve));
    let received = '';
    client.on('data', (chunk: Buffer) => void (received += chunk.toString()));
    // The server says 100 Continue as the app starts reading the body: then the body starts, and
    // stops.
    const headers = [
      'Content-Type: application/json',
      'Content-Length: 100',
      'Expect: 100-continue',
    ];
    client.write(
      `POST ${EXECUTE} HTTP/1.1\r\nHost: ${hostname}\r\n${headers.join('\r\n')}\r\n\r\n`,
    );
    await until(() => received.includes('100 Continue'), 'the server to take the request');
    client.write('{"task":');

    expect(await service.stop('SIGTERM')).toBe(1);
    await clientClosed;
    const server = receiver.spans
      .slice(exportsBefore)
      .filter((span) => span.kind === 'SERVER' && span.attributes['url.path'] === EXECUTE);
    expect(server).toHaveLength(1);
  });

  it('exits 1 when the shutdown flush fails (the collector is down)', async () => {
    const nobody = await freePort();
    service = await spawnService({
      env: {
        OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${nobody}`,
        OTEL_EXPORTER_OTLP_TIMEOUT: '500',
        OTEL_BSP_SCHEDULE_DELAY: '600000',
      },
    });
    expect((await request(service.url).post(EXECUTE).send(TASK)).status).toBe(200);

    expect(await service.stop('SIGTERM')).toBe(1);
    expect(service.output()).toContain('Tracing shutdown failed');
  });
});
