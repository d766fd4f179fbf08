import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from './config';
import { loadTracingConfig } from './tracing/setup/tracing-config';
import { ConfigError } from './env';
import {
  AGENT_SERVICE_DEFAULTS,
  SUB_AGENT_SERVICE_DEFAULTS,
  TOOL_SERVICE_DEFAULTS,
} from './service-defaults';

function configErrorOf(env: NodeJS.ProcessEnv): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(env)}`);
}

describe('loadConfig', () => {
  describe('defaults', () => {
    const config = loadConfig({});

    it('serves the agent on port 8080 on all interfaces', () => {
      expect(config.port).toBe(8080);
      expect(config.host).toBe('0.0.0.0');
      expect(config.agentName).toBe('traced-agent');
    });

    it('uses gemini-2.0-flash, offline, with a 30 s model timeout', () => {
      expect(config.gemini).toEqual({
        apiKey: undefined,
        baseUrl: undefined,
        model: 'gemini-2.0-flash',
        sdk: 'generative-ai',
        timeoutMs: 30_000,
        emulatorLatencyMs: 0,
      });
    });

    it('uses the documented limits for memory', () => {
      expect(config.memory).toEqual({ maxTurnsPerSession: 20 });
      // No DATABASE_URL: memory stays in the process.
      expect(config.database).toEqual({
        url: undefined,
        poolSize: 10,
        statementTimeoutMs: 2_000,
        connectTimeoutMs: 2_000,
      });
    });

    it('traces as agent-service to the console, without capturing content', () => {
      expect(config.tracing).toEqual({
        serviceName: 'agent-service',
        environment: 'development',
        sdkDisabled: false,
        exporters: ['console'],
        otlpProtocol: 'grpc',
        batch: {
          scheduledDelayMillis: 5_000,
          exportTimeoutMillis: 30_000,
          maxQueueSize: 2_048,
          maxExportBatchSize: 512,
        },
        metricsExporters: ['prometheus'],
        otlpMetricsProtocol: 'grpc',
        metricExport: { intervalMs: 60_000, timeoutMs: 30_000 },
        prometheus: { host: '0.0.0.0', port: 9464 },
        otlpMetricsUrl: undefined,
        propagators: ['b3multi', 'tracecontext', 'baggage'],
        propagateToModelApi: false,
        enabledInstrumentations: ['http', 'express', 'undici', 'pino', 'pg'],
        captureMessageContent: false,
        genAiConventions: 'workshop',
        maxAttributeLength: 4096,
        contextTrust: 'all',
        sampler: { name: 'parentbased_always_on', source: 'default' },
        spanMinDurationMs: 0,
        tree: { showAttributes: false, showHousekeeping: false },
        internalApiKeys: [],
        knownSecrets: [],
      });
    });
  });

  it('reads tracing exactly as the --require preload does: one parse, by one schema', () => {
    const env = {
      NODE_ENV: 'production',
      OTEL_TRACES_SAMPLER: 'adaptive',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4317',
      GEMINI_API_KEY: 'AIza-test',
      TRACE_CONTEXT_TRUST: 'internal',
      SPAN_MIN_DURATION_MS: '5',
    };
    expect(loadConfig(env, SUB_AGENT_SERVICE_DEFAULTS).tracing).toEqual(
      loadTracingConfig(env, SUB_AGENT_SERVICE_DEFAULTS),
    );
  });

  describe('empty and differently cased values', () => {
    it('treats an empty variable as not set', () => {
      const config = loadConfig({ PORT: '', GEMINI_MODEL: ' ', OTEL_SERVICE_NAME: '' });
      expect(config.port).toBe(8080);
      expect(config.gemini.model).toBe('gemini-2.0-flash');
      expect(config.tracing.serviceName).toBe('agent-service');
    });

    it('reads booleans case-insensitively, anything but true being false', () => {
      expect(loadConfig({ OTEL_SDK_DISABLED: 'TRUE' }).tracing.sdkDisabled).toBe(true);
      expect(loadConfig({ OTEL_SDK_DISABLED: 'True' }).tracing.sdkDisabled).toBe(true);
      expect(loadConfig({ OTEL_SDK_DISABLED: 'yes' }).tracing.sdkDisabled).toBe(false);
    });
  });

  describe('exporters', () => {
    it('exports with OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set', () => {
      expect(
        loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://localhost:4317' }).tracing.exporters,
      ).toEqual(['otlp']);
    });

    it('exports with OTLP when only the traces endpoint is set', () => {
      expect(
        loadConfig({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://localhost:4317' }).tracing
          .exporters,
      ).toEqual(['otlp']);
    });

    it('ignores a blank endpoint', () => {
      expect(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: '  ' }).tracing.exporters).toEqual([
        'console',
      ]);
    });

    it('lets "none" win over every other exporter', () => {
      expect(loadConfig({ OTEL_TRACES_EXPORTER: 'otlp,none,console' }).tracing.exporters).toEqual([
        'none',
      ]);
    });

    it('honours an explicit list, case-insensitively and without duplicates', () => {
      expect(loadConfig({ OTEL_TRACES_EXPORTER: 'OTLP, Console, otlp' }).tracing.exporters).toEqual(
        ['otlp', 'console'],
      );
    });

    it('prefers an explicit exporter over the endpoint', () => {
      const env = {
        OTEL_TRACES_EXPORTER: 'console',
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://localhost:4317',
      };
      expect(loadConfig(env).tracing.exporters).toEqual(['console']);
    });

    it('falls back to the console for unknown exporter names', () => {
      expect(loadConfig({ OTEL_TRACES_EXPORTER: 'zipkin' }).tracing.exporters).toEqual(['console']);
    });

    it('speaks OTLP/gRPC unless a protocol is named', () => {
      expect(loadConfig({}).tracing.otlpProtocol).toBe('grpc');
      expect(loadConfig({ OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' }).tracing.otlpProtocol).toBe(
        'http/json',
      );
    });

    it('prefers the traces protocol over the general one', () => {
      const env = {
        OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc',
        OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/protobuf',
      };
      expect(loadConfig(env).tracing.otlpProtocol).toBe('http/protobuf');
    });

    it.each(['OTEL_EXPORTER_OTLP_PROTOCOL', 'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL'])(
      'refuses an unknown %s, listing the protocols',
      (name) => {
        expect(configErrorOf({ [name]: 'http' }).message).toContain(
          `${name}: must be one of grpc, http/protobuf, http/json`,
        );
      },
    );
  });

  describe('propagators', () => {
    it('defaults to B3 multi-header, W3C trace context and baggage unless OTEL_PROPAGATORS is set', () => {
      expect(loadConfig({}).tracing.propagators).toEqual(['b3multi', 'tracecontext', 'baggage']);
      expect(loadConfig({ OTEL_PROPAGATORS: '' }).tracing.propagators).toEqual([
        'b3multi',
        'tracecontext',
        'baggage',
      ]);
    });

    it('does not propagate to the model API unless asked', () => {
      expect(loadConfig({}).tracing.propagateToModelApi).toBe(false);
      expect(loadConfig({ PROPAGATE_TO_MODEL_API: 'true' }).tracing.propagateToModelApi).toBe(true);
    });

    it('reads OTEL_PROPAGATORS as a trimmed, lower-case list', () => {
      expect(
        loadConfig({ OTEL_PROPAGATORS: 'B3, tracecontext ,baggage' }).tracing.propagators,
      ).toEqual(['b3', 'tracecontext', 'baggage']);
    });
  });

  describe('trust in incoming trace context', () => {
    it("continues every caller's trace context unless TRACE_CONTEXT_TRUST=internal", () => {
      expect(loadConfig({}).tracing.contextTrust).toBe('all');
      expect(loadConfig({ TRACE_CONTEXT_TRUST: 'internal' }).tracing.contextTrust).toBe('internal');
      expect(configErrorOf({ TRACE_CONTEXT_TRUST: 'some' }).message).toMatch(/TRACE_CONTEXT_TRUST/);
    });

    it('accepts internal keys as API keys too, once AGENT_API_KEYS turns authentication on', () => {
      const internal = { INTERNAL_API_KEYS: ' k-internal , k-public ' };
      expect(loadConfig({ ...internal, AGENT_API_KEYS: 'k-public' })).toMatchObject({
        apiKeys: ['k-public', 'k-internal'],
        tracing: { internalApiKeys: ['k-internal', 'k-public'] },
      });
      expect(loadConfig(internal).apiKeys).toEqual([]);
    });
  });

  describe('message content capture', () => {
    it.each([
      ['true', true],
      ['1', true],
      ['false', false],
      ['0', false],
      ['', false],
    ])('reads OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT=%j as %s', (value, expected) => {
      expect(
        loadConfig({ OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT: value }).tracing
          .captureMessageContent,
      ).toBe(expected);
    });
  });

  describe('GenAI conventions mode', () => {
    it.each([
      [undefined, 'workshop'],
      ['', 'workshop'],
      ['gen_ai_latest_experimental', 'latest'],
      ['http, GEN_AI_LATEST_EXPERIMENTAL ,database', 'latest'],
      ['http', 'workshop'],
      ['gen_ai_latest', 'workshop'],
    ])('reads OTEL_SEMCONV_STABILITY_OPT_IN=%j as the %s names', (value, expected) => {
      expect(loadConfig({ OTEL_SEMCONV_STABILITY_OPT_IN: value }).tracing.genAiConventions).toBe(
        expected,
      );
    });
  });

  describe('sampling, span filter and tree attributes (workshop exercises 1 and 2)', () => {
    it('samples 10% by default in production, and lets OTEL_TRACES_SAMPLER win', () => {
      expect(loadConfig({ NODE_ENV: 'production' }).tracing.sampler).toMatchObject({
        name: 'parentbased_traceidratio',
        ratio: 0.1,
      });
      const explicit = loadConfig({
        NODE_ENV: 'production',
        OTEL_TRACES_SAMPLER: 'adaptive',
        OTEL_TRACES_SAMPLER_ARG: '25',
      });
      expect(explicit.tracing.sampler).toEqual({
        name: 'adaptive',
        targetPerSecond: 25,
        source: 'OTEL_TRACES_SAMPLER',
      });
    });

    it('throws a ConfigError for an unknown sampler or a bad argument', () => {
      expect(configErrorOf({ OTEL_TRACES_SAMPLER: 'sometimes' }).message).toMatch(
        /^Invalid configuration: OTEL_TRACES_SAMPLER: /,
      );
      expect(
        configErrorOf({ OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '2' })
          .message,
      ).toContain('OTEL_TRACES_SAMPLER_ARG: ');
    });

    it('reads SPAN_MIN_DURATION_MS and TRACE_TREE_ATTRIBUTES', () => {
      const config = loadConfig({ SPAN_MIN_DURATION_MS: '2.5', TRACE_TREE_ATTRIBUTES: 'true' });
      expect(config.tracing).toMatchObject({
        spanMinDurationMs: 2.5,
        tree: { showAttributes: true, showHousekeeping: false },
      });
      expect(configErrorOf({ SPAN_MIN_DURATION_MS: '-1' }).message).toContain(
        'SPAN_MIN_DURATION_MS: ',
      );
    });
  });

  describe('Gemini API key', () => {
    it('treats an empty or blank key as offline mode', () => {
      expect(loadConfig({ GEMINI_API_KEY: '' }).gemini.apiKey).toBeUndefined();
      expect(loadConfig({ GEMINI_API_KEY: '   ' }).gemini.apiKey).toBeUndefined();
    });

    it('uses a key that is set, trimmed', () => {
      expect(loadConfig({ GEMINI_API_KEY: ' AIza-test ' }).gemini.apiKey).toBe('AIza-test');
    });
  });

  describe('invalid values', () => {
    it.each(['abc', '70000', '-1', '80.5'])(
      'throws a ConfigError naming PORT for PORT=%j',
      (port) => {
        expect(configErrorOf({ PORT: port }).message).toMatch(/^Invalid configuration: PORT: /);
      },
    );

    it('names every invalid variable', () => {
      const message = configErrorOf({ PORT: 'abc', LOG_LEVEL: 'loud' }).message;
      expect(message).toContain('PORT: ');
      expect(message).toContain('LOG_LEVEL: ');
    });

    it('rejects a GEMINI_BASE_URL that is not a URL', () => {
      expect(configErrorOf({ GEMINI_BASE_URL: 'not a url' }).message).toContain(
        'GEMINI_BASE_URL: ',
      );
    });

    it('reads GEMINI_SDK, and rejects an SDK it does not know, naming both', () => {
      expect(loadConfig({ GEMINI_SDK: 'genai' }).gemini.sdk).toBe('genai');
      expect(configErrorOf({ GEMINI_SDK: 'google-genai' }).message).toContain(
        'GEMINI_SDK: must be one of generative-ai, genai',
      );
    });

    it('rejects a zero model timeout', () => {
      expect(configErrorOf({ MODEL_TIMEOUT_MS: '0' }).message).toContain('MODEL_TIMEOUT_MS: ');
    });

    it('reads none of the variables that became constants (src/limits.ts), whatever they hold', () => {
      const constants = [
        'TOOL_TIMEOUT_MS',
        'MAX_MODEL_CALLS',
        'MODEL_MAX_ATTEMPTS',
        'MAX_TOOL_RESULT_CHARS',
        'MEMORY_MAX_SESSIONS',
        'MEMORY_MAX_SESSION_CHARS',
        'MEMORY_MAX_TOTAL_CHARS',
        'MEMORY_MAX_TURNS_PER_USER',
        'EMULATOR_PORT',
      ];
      expect(() =>
        loadConfig(Object.fromEntries(constants.map((name) => [name, '0']))),
      ).not.toThrow();
    });
  });

  it('reads numbers from their environment strings', () => {
    const config = loadConfig({
      PORT: '3000',
      MODEL_TIMEOUT_MS: '2500',
      MEMORY_MAX_TURNS: '5',
      DATABASE_POOL_SIZE: '3',
    });
    expect(config.port).toBe(3000);
    expect(config.gemini.timeoutMs).toBe(2500);
    expect(config.memory.maxTurnsPerSession).toBe(5);
    expect(config.database.poolSize).toBe(3);
  });

  describe('service defaults', () => {
    const subAgent = {
      serviceName: 'sub-agent-service',
      port: 8081,
      agentName: 'x',
      prometheusPort: 9465,
    };

    it('honours the defaults it is given', () => {
      const config = loadConfig({}, subAgent);
      expect(config.port).toBe(8081);
      expect(config.agentName).toBe('x');
      expect(config.tracing.serviceName).toBe('sub-agent-service');
    });

    it('lets the environment override those defaults', () => {
      const config = loadConfig({ PORT: '9000', OTEL_SERVICE_NAME: 'renamed' }, subAgent);
      expect(config.port).toBe(9000);
      expect(config.tracing.serviceName).toBe('renamed');
      expect(config.agentName).toBe('x');
    });

    it('uses the agent service defaults when none are given', () => {
      expect(AGENT_SERVICE_DEFAULTS).toEqual({
        serviceName: 'agent-service',
        port: 8080,
        agentName: 'traced-agent',
        prometheusPort: 9464,
      });
    });
  });
});

describe('SHUTDOWN_DRAIN_DELAY_MS', () => {
  it.each([
    ['in production', { NODE_ENV: 'production' }, 5_000],
    ['outside production', {}, 0],
    [
      'when set, in production too',
      { NODE_ENV: 'production', SHUTDOWN_DRAIN_DELAY_MS: '250' },
      250,
    ],
  ])('keeps answering for the drain delay %s', (_case, env, delayMs) => {
    expect(loadConfig(env).shutdownDrainDelayMs).toBe(delayMs);
  });

  it('refuses a delay that is not a whole number of milliseconds', () => {
    expect(() => loadConfig({ SHUTDOWN_DRAIN_DELAY_MS: 'soon' })).toThrow(
      /SHUTDOWN_DRAIN_DELAY_MS/,
    );
  });
});

describe('MCP_SERVER_URL', () => {
  it('points the agent at the tool service on localhost:8082 when unset', () => {
    expect(loadConfig({}).mcp).toEqual({ url: 'http://localhost:8082/mcp', apiKey: undefined });
  });

  it('means no MCP server when set empty, the one variable where empty differs from unset', () => {
    expect(loadConfig({ MCP_SERVER_URL: '' }).mcp.url).toBeUndefined();
    expect(loadConfig({ MCP_SERVER_URL: '  ' }).mcp.url).toBeUndefined();
  });

  it('takes another server and its key', () => {
    expect(
      loadConfig({ MCP_SERVER_URL: 'https://tools.example/mcp', MCP_API_KEY: 'k' }).mcp,
    ).toEqual({
      url: 'https://tools.example/mcp',
      apiKey: 'k',
    });
  });

  it('refuses a value that is not a URL', () => {
    expect(() => loadConfig({ MCP_SERVER_URL: 'tools' })).toThrow(ConfigError);
  });

  it('gives the tool service its own name and port', () => {
    const config = loadConfig({}, TOOL_SERVICE_DEFAULTS);
    expect([config.tracing.serviceName, config.port]).toEqual(['tool-service', 8082]);
  });
});

describe('metrics configuration', () => {
  it('serves Prometheus on a port of its own per service when nothing is set', () => {
    const ports = [AGENT_SERVICE_DEFAULTS, SUB_AGENT_SERVICE_DEFAULTS, TOOL_SERVICE_DEFAULTS].map(
      (defaults) => loadConfig({}, defaults).tracing.prometheus.port,
    );
    expect(ports).toEqual([9464, 9465, 9466]);
    expect(loadConfig({}).tracing.metricsExporters).toEqual(['prometheus']);
  });

  it('takes the standard OTEL_METRICS_EXPORTER and Prometheus host and port', () => {
    const { tracing } = loadConfig({
      OTEL_METRICS_EXPORTER: 'otlp, Prometheus,console',
      OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1',
      OTEL_EXPORTER_PROMETHEUS_PORT: '9999',
    });
    expect(tracing.metricsExporters).toEqual(['otlp', 'prometheus', 'console']);
    expect(tracing.prometheus).toEqual({ host: '127.0.0.1', port: 9999 });
  });

  it('serves metrics where the service listens (HOST) unless OTEL_EXPORTER_PROMETHEUS_HOST says otherwise', () => {
    expect(loadConfig({}).tracing.prometheus.host).toBe('0.0.0.0');
    expect(loadConfig({ HOST: '127.0.0.1' }).tracing.prometheus.host).toBe('127.0.0.1');
    expect(
      loadConfig({ HOST: '127.0.0.1', OTEL_EXPORTER_PROMETHEUS_HOST: '0.0.0.0' }).tracing.prometheus
        .host,
    ).toBe('0.0.0.0');
  });

  it('exports no metrics with none', () => {
    expect(
      loadConfig({ OTEL_METRICS_EXPORTER: 'prometheus,none' }).tracing.metricsExporters,
    ).toEqual([]);
  });

  it('refuses an exporter it does not know, and a port that is not one', () => {
    expect(() => loadConfig({ OTEL_METRICS_EXPORTER: 'statsd' })).toThrow(
      /OTEL_METRICS_EXPORTER: must be prometheus, otlp, console or none .*statsd/,
    );
    expect(() => loadConfig({ OTEL_EXPORTER_PROMETHEUS_PORT: '0' })).toThrow(
      /OTEL_EXPORTER_PROMETHEUS_PORT: must be a whole number from 1 to 65535/,
    );
  });

  it('sends OTLP metrics where the traces go when only the traces endpoint is set', () => {
    const traces = 'http://collector:4317';
    expect(loadConfig({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: traces }).tracing.otlpMetricsUrl).toBe(
      traces,
    );
    // Otherwise the exporter reads the standard variables itself.
    expect(
      loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: traces, OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'x' })
        .tracing.otlpMetricsUrl,
    ).toBeUndefined();
  });

  it('never reuses an OTLP/HTTP traces endpoint for metrics: it is the full URL of the traces path', () => {
    const { tracing } = loadConfig({
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://collector:4318/v1/traces',
    });
    expect(tracing.otlpMetricsUrl).toBeUndefined();
  });

  it('speaks the general OTLP protocol unless the metrics protocol is named', () => {
    const protocolOf = (env: NodeJS.ProcessEnv) => loadConfig(env).tracing.otlpMetricsProtocol;
    expect(protocolOf({ OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' })).toBe('http/json');
    expect(
      protocolOf({
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
        OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'grpc',
        OTEL_EXPORTER_OTLP_METRICS_PROTOCOL: 'http/protobuf',
      }),
    ).toBe('http/protobuf');
    expect(() => loadConfig({ OTEL_EXPORTER_OTLP_METRICS_PROTOCOL: 'udp' })).toThrow(
      /OTEL_EXPORTER_OTLP_METRICS_PROTOCOL: must be one of grpc, http\/protobuf, http\/json/,
    );
  });

  it('reads the export interval and timeout, the timeout never longer than the interval', () => {
    const exportOf = (env: NodeJS.ProcessEnv) => loadConfig(env).tracing.metricExport;
    expect(exportOf({ OTEL_METRIC_EXPORT_INTERVAL: '5000' })).toEqual({
      intervalMs: 5000,
      timeoutMs: 5000,
    });
    expect(
      exportOf({ OTEL_METRIC_EXPORT_INTERVAL: '10000', OTEL_METRIC_EXPORT_TIMEOUT: '2000' }),
    ).toEqual({ intervalMs: 10_000, timeoutMs: 2000 });
    expect(() => loadConfig({ OTEL_METRIC_EXPORT_INTERVAL: '0' })).toThrow(
      /OTEL_METRIC_EXPORT_INTERVAL/,
    );
  });
});

describe('the batch span processor (OTEL_BSP_*)', () => {
  const batchOf = (env: NodeJS.ProcessEnv) => loadConfig(env).tracing.batch;

  it("reads the four settings, in the processor's own option names", () => {
    expect(
      batchOf({
        OTEL_BSP_SCHEDULE_DELAY: '50',
        OTEL_BSP_EXPORT_TIMEOUT: '1000',
        OTEL_BSP_MAX_QUEUE_SIZE: '100',
        OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '10',
      }),
    ).toEqual({
      scheduledDelayMillis: 50,
      exportTimeoutMillis: 1000,
      maxQueueSize: 100,
      maxExportBatchSize: 10,
    });
  });

  it.each(['0', '-1', '1.5', 'soon'])('stops the start-up on %s, naming the variable', (value) => {
    expect(() => loadConfig({ OTEL_BSP_MAX_QUEUE_SIZE: value })).toThrow(
      /OTEL_BSP_MAX_QUEUE_SIZE: must be a whole number from 1 to/,
    );
  });
});

describe('MODEL_PRICING_FILE', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'pricing-'));
  const fileWith = (name: string, text: string) => {
    const file = path.join(dir, name);
    writeFileSync(file, text);
    return file;
  };
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('uses the table in the repository when unset, with a price for the default model', () => {
    expect(loadConfig({}).pricing['gcp.gemini']?.['gemini-2.0-flash']).toMatchObject({
      input_usd_per_million_tokens: expect.any(Number),
      output_usd_per_million_tokens: expect.any(Number),
    });
  });

  it('replaces the table with the file', () => {
    const price = {
      input_usd_per_million_tokens: 1,
      output_usd_per_million_tokens: 2,
      date: '2026-11-01',
      source: 'our contract',
    };
    const file = fileWith('ok.json', JSON.stringify({ 'gcp.gemini': { 'my-model': price } }));
    expect(loadConfig({ MODEL_PRICING_FILE: file }).pricing).toEqual({
      'gcp.gemini': { 'my-model': price },
    });
  });

  it.each([
    ['not JSON', '{"gcp.gemini": ', /is not JSON/],
    [
      'a price without a source',
      '{"gcp.gemini": {"m": {"input_usd_per_million_tokens": 1, "output_usd_per_million_tokens": 2, "date": "2026-11-01"}}}',
      /gcp\.gemini\.m\.source/,
    ],
    [
      'a negative price',
      '{"gcp.gemini": {"m": {"input_usd_per_million_tokens": -1, "output_usd_per_million_tokens": 2, "date": "2026-11-01", "source": "s"}}}',
      /gcp\.gemini\.m\.input_usd_per_million_tokens/,
    ],
  ])('refuses a file with %s, in one line naming the file', (_, text, problem) => {
    const file = fileWith('bad.json', text);
    const read = () => loadConfig({ MODEL_PRICING_FILE: file });
    expect(read).toThrow(ConfigError);
    expect(read).toThrow(new RegExp(`^Invalid configuration: MODEL_PRICING_FILE ${file}: `));
    expect(read).toThrow(problem);
    expect(read).not.toThrow(/\n/);
  });

  it('refuses a file it cannot read', () => {
    expect(() => loadConfig({ MODEL_PRICING_FILE: path.join(dir, 'missing.json') })).toThrow(
      /MODEL_PRICING_FILE .*missing\.json: cannot be read \(ENOENT\)/,
    );
  });
});
