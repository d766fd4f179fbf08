import { execFile } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import request from '../support/contract-request';
import { startOtlpReceiver, type OtlpReceiver } from '../../dev/otlp/receiver';
import { startGeminiEmulator, type GeminiEmulator } from '../../src/emulator/emulator-server';
import { runLoad, type LoadOptions, type LoadResult } from '../../dev/bench/load';
import { sampleRss } from '../../dev/process/process-stats';
import { rawPost } from '../support/raw-http';
import { ROOT, spawnService, stopAllServices } from '../support/spawn-service';

/**
 * "Calculate 2 + 2": server, agent.task, memory.read, 2 × (llm.generate + POST),
 * agent.step.reasoning, tool.calculator, memory.write.
 */
const SPANS_PER_REQUEST = 10;
const TASK = { task: 'Calculate 2 + 2' };

let emulator: GeminiEmulator;
beforeAll(async () => {
  emulator = await startGeminiEmulator();
});
afterAll(async () => {
  await stopAllServices();
  await emulator.close();
});

/** A loopback port nothing listens on (yet): where the receiver will come up later. */
async function freePort(): Promise<number> {
  const probe = await startOtlpReceiver();
  await probe.stop();
  return probe.port;
}

/** `amount` requests at `connections`, with the trace id of every answer. */
async function load(url: string, amount: number, connections: number) {
  const traceIds: string[] = [];
  const collect = (body: string) => {
    const traceId = /"trace_id":"([0-9a-f]{32})"/.exec(body)?.[1];
    if (traceId) traceIds.push(traceId);
  };
  const result = await runLoad({ url, body: TASK, connections, amount, onBody: collect });
  // Every request answered with 200, and each answer named its trace.
  expect({ ok: result.ok, failed: result.failed, traces: traceIds.length }).toEqual({
    ok: amount,
    failed: 0,
    traces: amount,
  });
  return { ...result, traceIds };
}

/**
 * autocannon in a process of its own, as real clients would be: the test process decodes every
 * exported span, and that work must not add to the latency the clients measure. Returns the trace
 * ids of the answers too.
 */
async function runLoadInChild(
  options: Omit<LoadOptions, 'onBody'>,
): Promise<LoadResult & { traceIds: string[] }> {
  const load = path.join(ROOT, 'dist-dev', 'dev', 'bench', 'load.js');
  const script = `
    const traceIds = [];
    const onBody = (body) => { const id = /"trace_id":"([0-9a-f]{32})"/.exec(body); if (id) traceIds.push(id[1]); };
    require(${JSON.stringify(load)})
      .runLoad({ ...${JSON.stringify(options)}, onBody })
      .then((result) => console.log(JSON.stringify({ ...result, traceIds })));`;
  const { stdout } = await promisify(execFile)(process.execPath, ['-e', script], {
    timeout: 60_000,
    maxBuffer: 16 * 1024 * 1024,
  });
  return JSON.parse(stdout) as LoadResult & { traceIds: string[] };
}

/**
 * A client that pipelines `count` requests at once and never reads an answer; closed after `ms`.
 */
async function pipelineWithoutReading(url: string, count: number, ms: number): Promise<void> {
  const { hostname, port } = new URL(url);
  const socket = net.connect(Number(port), hostname);
  socket.on('error', () => undefined);
  socket.write(
    rawPost('/api/v1/agent/execute', JSON.stringify(TASK), {
      'Content-Type': 'application/json',
      'X-API-Key': 'flood-key',
    }).repeat(count),
  );
  await new Promise((resolve) => setTimeout(resolve, ms));
  socket.destroy();
}

function spansOfTraces(receiver: OtlpReceiver, traceIds: readonly string[]) {
  const wanted = new Set(traceIds);
  return receiver.spans.filter((span) => wanted.has(span.traceId));
}

describe('when the tracing backend misbehaves', () => {
  it('serves requests while the OTLP endpoint is down at start, and exports once it comes up', async () => {
    const port = await freePort();
    const service = await spawnService({
      env: {
        OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`,
        OTEL_BSP_SCHEDULE_DELAY: '50',
      },
    });
    await load(`${service.url}/api/v1/agent/execute`, 40, 4);

    const receiver = await startOtlpReceiver({ port });
    try {
      const afterwards = await load(`${service.url}/api/v1/agent/execute`, 40, 4);
      await receiver.waitFor(
        () => spansOfTraces(receiver, afterwards.traceIds).length === 40 * SPANS_PER_REQUEST,
        {
          description: 'every span of the requests made after the endpoint came up',
          timeoutMs: 20_000,
        },
      );
      // The failure was reported, once in a while rather than per span.
      const warnings = service.output().match(/Span export is failing/g) ?? [];
      expect(warnings.length).toBeGreaterThanOrEqual(1);
      expect(warnings.length).toBeLessThanOrEqual(2);
      expect(service.output()).toContain('Span export recovered');
    } finally {
      await service.stop();
      await receiver.stop();
    }
  });

  it('stress: loses no request and no span made after the endpoint comes back, with bounded memory', async () => {
    const perPhase = 1_000;
    let receiver = await startOtlpReceiver();
    const service = await spawnService({
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint, OTEL_BSP_SCHEDULE_DELAY: '200' },
    });
    const url = `${service.url}/api/v1/agent/execute`;
    const memory = sampleRss(service.child.pid!);
    try {
      const up = await load(url, perPhase, 16);
      await receiver.stop();
      const down = await load(url, perPhase, 16);
      receiver = await startOtlpReceiver({ port: receiver.port });
      const back = await load(url, perPhase, 16);

      const expected = back.traceIds.length * SPANS_PER_REQUEST;
      await receiver.waitFor(() => spansOfTraces(receiver, back.traceIds).length >= expected, {
        description: `all ${expected} spans of the requests made after the endpoint came back`,
        timeoutMs: 30_000,
      });
      memory.stop();
      const figures = {
        requests: perPhase * 3,
        spansExpectedAfterRecovery: expected,
        spansReceivedAfterRecovery: spansOfTraces(receiver, back.traceIds).length,
        peakRssMiB: Math.round(memory.peak),
        p50Ms: { up: up.p50Ms, down: down.p50Ms, back: back.p50Ms },
        p99Ms: { up: up.p99Ms, down: down.p99Ms, back: back.p99Ms },
      };
      process.stdout.write(`stress figures: ${JSON.stringify(figures)}\n`);
      expect(figures.spansReceivedAfterRecovery).toBe(expected);
      // The batch queue is bounded (2048 spans): an outage must not grow the process.
      expect(figures.peakRssMiB).toBeLessThan(400);
    } finally {
      memory.stop();
      await service.stop();
      await receiver.stop();
    }
  }, 120_000);

  it('on SIGTERM under load, finishes in-flight requests, exports every span, and exits 0 in bounded time', async () => {
    const slowModel = await startGeminiEmulator({ latencyMs: 300 });
    const receiver = await startOtlpReceiver();
    // Nothing is exported on schedule during the test: only the shutdown flush can deliver the
    // spans.
    const service = await spawnService({
      env: {
        GEMINI_BASE_URL: slowModel.url,
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
        OTEL_BSP_SCHEDULE_DELAY: '600000',
      },
    });
    try {
      const inFlight = Array.from({ length: 12 }, () =>
        request(service.url).post('/api/v1/agent/execute').send(TASK),
      );
      const responses = Promise.all(inFlight.map((call) => call.then((response) => response)));
      while (slowModel.requests.length < 12)
        await new Promise((resolve) => setTimeout(resolve, 10));
      const stoppedAt = performance.now();
      const exitCode = service.stop('SIGTERM');

      const answered = await responses;
      expect(answered.map((response) => response.status)).toEqual(Array(12).fill(200));
      expect(await exitCode).toBe(0);
      expect(performance.now() - stoppedAt).toBeLessThan(10_000);
      const traceIds = answered.map((response) => response.body.trace_id as string);
      expect(spansOfTraces(receiver, traceIds)).toHaveLength(12 * SPANS_PER_REQUEST);
    } finally {
      await service.stop();
      await receiver.stop();
      await slowModel.close();
    }
  });

  it('abusive mix: sheds a pipelined flood with 503 and Retry-After, answers normal clients, bounded memory, no span lost', async () => {
    const receiver = await startOtlpReceiver();
    // The flood and the normal clients share an address: their keys make them two callers, so that
    // a late event loop refuses the flood's runs first (src/http/admission/).
    const service = await spawnService({
      env: {
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
        OTEL_BSP_SCHEDULE_DELAY: '200',
        AGENT_API_KEYS: 'flood-key,normal-key',
      },
    });
    const url = `${service.url}/api/v1/agent/execute`;
    const memory = sampleRss(service.child.pid!);
    try {
      const floodSeconds = 12;
      // 20 connections pipelining 10 requests each, reading the answers; 4 more that pipeline 2,000
      // and never read.
      const flood = runLoadInChild({
        url,
        body: TASK,
        connections: 20,
        pipelining: 10,
        durationSeconds: floodSeconds,
        headers: { 'x-api-key': 'flood-key' },
      });
      const deaf = Array.from({ length: 4 }, () =>
        pipelineWithoutReading(service.url, 2_000, floodSeconds * 1_000),
      );
      const normal = await runLoadInChild({
        url,
        body: TASK,
        connections: 4,
        durationSeconds: floodSeconds - 2,
        headers: { 'x-api-key': 'normal-key' },
      });
      const normalTraceIds = normal.traceIds;
      const flooded = await flood;
      await Promise.all(deaf);

      memory.stop();
      const expected = normalTraceIds.length * SPANS_PER_REQUEST;
      const health = await fetch(`${service.url}/healthz`);
      const figures = {
        sent: flooded.sent + normal.sent + 4 * 2_000,
        floodSent: flooded.sent,
        floodAnswered: flooded.statusCounts,
        normalSent: normal.sent,
        normalAnswered: normal.statusCounts,
        normalP50Ms: normal.p50Ms,
        normalP99Ms: normal.p99Ms,
        peakRssMiB: Math.round(memory.peak),
        serverSpans503: receiver.spans.filter(
          (span) => span.kind === 'SERVER' && span.attributes['http.response.status_code'] === 503,
        ).length,
      };
      process.stdout.write(`abusive mix figures: ${JSON.stringify(figures)}\n`);
      // Every answered request's spans arrive: the normal clients' ones, counted exactly.
      await receiver.waitFor(() => spansOfTraces(receiver, normalTraceIds).length >= expected, {
        description: `all ${expected} spans of the normal clients' requests`,
        timeoutMs: 30_000,
      });

      expect(health.status).toBe(200);
      expect(Object.keys(flooded.statusCounts).sort()).toEqual(['200', '503']);
      // Each flood connection: one run, one 503 for what it pipelined behind it, then closed.
      expect(flooded.statusCounts['503']).toBeGreaterThan(0);
      // Every normal request answered (before: hundreds of model_timeout, and more than 15 s of
      // waiting): 200, or 503 overloaded in a second when the event loop ran over 1 s late,
      // when admission refuses every caller (src/http/admission/); nine in ten at least 200.
      expect({
        failed: normal.failed - (normal.statusCounts['503'] ?? 0),
        traces: normalTraceIds.length,
        mostlyAnswered: normal.ok >= 0.9 * (normal.ok + normal.failed),
      }).toEqual({ failed: 0, traces: normal.ok, mostlyAnswered: true });
      expect(normal.ok).toBeGreaterThan(20);
      // A bound that catches the defect, not a performance goal: the figures are in
      // docs/failure-modes.md.
      expect(normal.p99Ms).toBeLessThan(5_000);
      expect(spansOfTraces(receiver, normalTraceIds)).toHaveLength(expected);
      // Before: over 1.1 GB, and it stayed there. Peak RSS grows with how much of the flood a
      // fast run answers (405 MiB at 20,000 requests on a quiet machine): bounded, far from that.
      expect(figures.peakRssMiB).toBeLessThan(600);
    } finally {
      memory.stop();
      await service.stop();
      await receiver.stop();
    }
  }, 120_000);
});
