import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { startGeminiEmulator, type GeminiEmulator } from '../../src/emulator/emulator-server';
import type { ExecuteResponse } from '../../src/agent/execute-response';
import { parsePrometheusText, sumOf } from '../support/prometheus-text';
import { readServerSentEvents } from '../support/server-sent-events';
import {
  freePort,
  ROOT,
  spawnService,
  stopAllServices,
  type SpawnedService,
} from '../support/spawn-service';

/**
 * The real agent service with its Prometheus exporter, against an emulator this test scripts:
 * after a known set of requests, `/metrics` says what the answers said.
 */
const EXAMPLE_TASK = 'Calculate 17 * 23 and search the knowledge base for context propagation';
let emulator: GeminiEmulator;
let service: SpawnedService;
let metricsUrl: string;
const answers: ExecuteResponse[] = [];

beforeAll(async () => {
  emulator = await startGeminiEmulator();
  const metricsPort = await freePort();
  metricsUrl = `http://127.0.0.1:${metricsPort}/metrics`;
  service = await spawnService({
    env: {
      GEMINI_API_KEY: 'test-key-for-the-emulator',
      GEMINI_BASE_URL: emulator.url,
      // Printed, and filtered: every span but each trace's root is shorter than a minute.
      OTEL_TRACES_EXPORTER: 'console',
      SPAN_MIN_DURATION_MS: '60000',
      OTEL_METRICS_EXPORTER: 'prometheus',
      OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1',
      OTEL_EXPORTER_PROMETHEUS_PORT: String(metricsPort),
    },
  });
  const execute = async (task: string) => {
    const response = await request(service.url).post('/api/v1/agent/execute').send({ task });
    expect(response.status).toBe(200);
    answers.push(response.body as ExecuteResponse);
  };
  await execute(EXAMPLE_TASK);
  await execute(EXAMPLE_TASK);
  // One model call retried once: the API is unavailable, then answers.
  emulator.enqueue({ kind: 'error', status: 503 }, { kind: 'turn', parts: [{ text: 'hello' }] });
  await execute('Say hello');
}, 30_000);
afterAll(async () => {
  await stopAllServices();
  await emulator.close();
});

const scrape = async () => parsePrometheusText(await (await fetch(metricsUrl)).text());
const total = (pick: (answer: ExecuteResponse) => number) =>
  answers.reduce((sum, answer) => sum + pick(answer), 0);

describe('/metrics after a known set of requests', () => {
  it('sums the tokens the answers reported, by token type', async () => {
    const samples = await scrape();
    const tokens = (type: string) =>
      sumOf(samples, 'gen_ai_client_token_usage_sum', { gen_ai_token_type: type });
    expect(tokens('input')).toBe(total((answer) => answer.usage.input_tokens));
    expect(tokens('output')).toBe(total((answer) => answer.usage.output_tokens));
  });

  it('counts what the answers cost, by provider and model', async () => {
    const samples = await scrape();
    expect(answers.every((answer) => typeof answer.usage.cost_usd === 'number')).toBe(true);
    const cost = sumOf(samples, 'llm_cost_usd_total', {
      gen_ai_provider_name: 'gcp.gemini',
      gen_ai_request_model: 'gemini-2.0-flash',
    });
    expect(cost).toBeCloseTo(
      total((answer) => answer.usage.cost_usd!),
      12,
    );
  });

  it('observes one duration per model call, per tool call and per run', async () => {
    const samples = await scrape();
    // A run asks the model once, then once more after each step of tools.
    const modelCalls = total((answer) => answer.total_steps + 1);
    const toolCalls = total((answer) =>
      answer.steps.reduce((sum, step) => sum + step.tools_called.length, 0),
    );
    expect(sumOf(samples, 'gen_ai_client_operation_duration_count')).toBe(modelCalls);
    expect(sumOf(samples, 'gen_ai_execute_tool_duration_count')).toBe(toolCalls);
    expect(sumOf(samples, 'gen_ai_invoke_agent_duration_count')).toBe(answers.length);
    expect(sumOf(samples, 'agent_runs_total', { agent_stopped_reason: 'completed' })).toBe(
      answers.length,
    );
  });

  it('counts the spans the minimum-duration filter left out', async () => {
    const samples = await scrape();
    // At least memory.read and memory.write of each run; the exact count is the filter's business.
    expect(sumOf(samples, 'span_filter_dropped_spans_total')).toBeGreaterThanOrEqual(
      2 * answers.length,
    );
  });

  it('counts the retry by its reason', async () => {
    const samples = await scrape();
    expect(sumOf(samples, 'llm_retries_total', { error_type: 'model_unavailable' })).toBe(1);
  });

  it('has the http instrumentation record the requests, and not the scrapes', async () => {
    await scrape();
    const samples = await scrape();
    const requests = samples.filter(
      (sample) => sample.name === 'http_server_request_duration_count',
    );
    expect(requests.map((sample) => [sample.labels.http_route, sample.value])).toEqual([
      ['/api/v1/agent/execute', answers.length],
    ]);
  });
});

describe('/metrics after a streamed run and feedback', () => {
  let streaming: SpawnedService;
  let streamingMetricsUrl: string;
  beforeAll(async () => {
    const port = await freePort();
    streamingMetricsUrl = `http://127.0.0.1:${port}/metrics`;
    streaming = await spawnService({
      env: {
        GEMINI_API_KEY: 'test-key-for-the-emulator',
        GEMINI_BASE_URL: emulator.url,
        OTEL_TRACES_EXPORTER: 'none',
        OTEL_METRICS_EXPORTER: 'prometheus',
        OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1',
        OTEL_EXPORTER_PROMETHEUS_PORT: String(port),
      },
    });
  });
  const scrapeStreaming = async () =>
    parsePrometheusText(await (await fetch(streamingMetricsUrl)).text());
  const TIME_TO_FIRST_CHUNK = 'gen_ai_client_operation_time_to_first_chunk_count';

  it('records the time to first chunk for the streamed run’s model calls, and not for execute’s', async () => {
    await request(streaming.url)
      .post('/api/v1/agent/execute')
      .send({ task: EXAMPLE_TASK })
      .expect(200);
    expect(sumOf(await scrapeStreaming(), TIME_TO_FIRST_CHUNK)).toBe(0);

    const response = await fetch(`${streaming.url}/api/v1/agent/stream`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ task: EXAMPLE_TASK }),
    });
    const { events } = await readServerSentEvents(response);
    const finished = events.find((event) => event.event === 'run.finished')!
      .data as ExecuteResponse;

    const samples = await scrapeStreaming();
    expect(
      sumOf(samples, TIME_TO_FIRST_CHUNK, {
        gen_ai_operation_name: 'generate_content',
        gen_ai_provider_name: 'gcp.gemini',
        gen_ai_request_model: 'gemini-2.0-flash',
      }),
    ).toBe(finished.total_steps + 1);
  });

  it('records feedback scores by evaluation name and agent', async () => {
    const run = async () =>
      (
        await request(streaming.url)
          .post('/api/v1/agent/execute')
          .send({ task: 'Say hello' })
          .expect(200)
      ).body as ExecuteResponse;
    const [first, second] = [await run(), await run()];
    const feedback = (body: object) =>
      request(streaming.url).post('/api/v1/agent/feedback').send(body).expect(201);
    await feedback({ trace_id: first.trace_id, score: 1 });
    await feedback({ trace_id: second.trace_id, score: 0, label: 'thumbs_down' });
    await feedback({ trace_id: second.trace_id, name: 'accuracy', score: 4 });
    await feedback({ trace_id: second.trace_id, label: 'no_score' });

    const samples = await scrapeStreaming();
    const score = (suffix: string, name: string) =>
      sumOf(samples, `agent_feedback_score_${suffix}`, {
        gen_ai_evaluation_name: name,
        gen_ai_agent_name: 'traced-agent',
      });
    expect([score('count', 'user_feedback'), score('sum', 'user_feedback')]).toEqual([2, 1]);
    expect([score('count', 'accuracy'), score('sum', 'accuracy')]).toEqual([1, 4]);
    expect(sumOf(samples, 'agent_feedback_score_count')).toBe(3);
  });
});

describe('start-up with a pricing file', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'pricing-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('ends start-up with one line naming a malformed file and what is wrong', () => {
    const file = path.join(dir, 'prices.json');
    writeFileSync(
      file,
      '{"gcp.gemini": {"gemini-2.0-flash": {"input_usd_per_million_tokens": 1}}}',
    );
    const result = spawnSync(
      process.execPath,
      ['--require', './dist/tracing/register.js', './dist/server.js'],
      {
        cwd: ROOT,
        // No metrics: their port may be taken (a running `npm start`), and its warning is a line.
        env: {
          PATH: process.env.PATH,
          PORT: '0',
          HOST: '127.0.0.1',
          OTEL_METRICS_EXPORTER: 'none',
          MODEL_PRICING_FILE: file,
        },
        encoding: 'utf8',
        timeout: 20_000,
      },
    );
    expect(result.status).toBe(1);
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      new RegExp(`^failed to start: Invalid configuration: MODEL_PRICING_FILE ${file}: `),
    );
    expect(lines[0]).toContain('gcp.gemini.gemini-2.0-flash.output_usd_per_million_tokens');
  });

  it('warns once when the model has no price, and answers cost_usd null', async () => {
    const file = path.join(dir, 'other-models.json');
    const price = {
      input_usd_per_million_tokens: 1,
      output_usd_per_million_tokens: 2,
      date: '2026-11-01',
      source: 'test',
    };
    writeFileSync(file, JSON.stringify({ 'gcp.gemini': { 'another-model': price } }));
    const unpriced = await spawnService({ env: { MODEL_PRICING_FILE: file } });
    const response = await request(unpriced.url)
      .post('/api/v1/agent/execute')
      .send({ task: 'Calculate 2 + 2' });
    await request(unpriced.url).post('/api/v1/agent/execute').send({ task: 'Calculate 3 + 3' });
    expect(response.body.usage.cost_usd).toBeNull();
    const warnings = unpriced.output().match(/has no price in the pricing table/g) ?? [];
    expect(warnings).toHaveLength(1);
  });
});
