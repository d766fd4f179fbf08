import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import {
  JsonMetricsSerializer,
  JsonTraceSerializer,
  ProtobufMetricsSerializer,
  ProtobufTraceSerializer,
} from '@opentelemetry/otlp-transformer';
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  TracerProvider,
  SimpleSpanProcessor,
  type ReadableSpan,
  type SpanExporter,
} from '@opentelemetry/sdk-trace';
import {
  startOtlpReceiver,
  toReceivedSpans,
  type OtlpReceiver,
  type ReceivedSpan,
} from './receiver';

const SERVICE_NAME = 'receiver-test';

type Protocol = 'grpc' | 'http/protobuf' | 'http/json';

/**
 * The OTLP/HTTP exporters cannot run under Jest (they load `http` with a dynamic `import()`, which
 * Jest refuses without --experimental-vm-modules): this one sends what they send, serialized by
 * the same `@opentelemetry/otlp-transformer` serializers, with `fetch`. The real exporters are
 * tested against this receiver from real processes (test/integration/otlp-http.test.ts).
 */
function httpExporter(url: string, protocol: 'http/protobuf' | 'http/json'): SpanExporter {
  const [serializer, contentType] =
    protocol === 'http/json'
      ? [JsonTraceSerializer, 'application/json']
      : [ProtobufTraceSerializer, 'application/x-protobuf'];
  return {
    export(spans: ReadableSpan[], done: (result: ExportResult) => void) {
      fetch(url, {
        method: 'POST',
        headers: { 'content-type': contentType, authorization: 'Basic cGs6c2s=' },
        body: serializer.serializeRequest(spans),
      })
        .then((response) =>
          done({ code: response.ok ? ExportResultCode.SUCCESS : ExportResultCode.FAILED }),
        )
        .catch((error: Error) => done({ code: ExportResultCode.FAILED, error }));
    },
    shutdown: () => Promise.resolve(),
  };
}

function exporterFor(receiver: OtlpReceiver, protocol: Protocol): SpanExporter {
  return protocol === 'grpc'
    ? new OTLPTraceExporter({ url: receiver.endpoint })
    : httpExporter(`${receiver.endpoint}/v1/traces`, protocol);
}

function providerExportingTo(receiver: OtlpReceiver, protocol: Protocol): TracerProvider {
  return new TracerProvider({
    resource: resourceFromAttributes({ 'service.name': SERVICE_NAME }),
    spanProcessors: [new SimpleSpanProcessor({ exporter: exporterFor(receiver, protocol) })],
  });
}

function spanNamed(spans: readonly ReceivedSpan[], name: string): ReceivedSpan {
  const span = spans.find((candidate) => candidate.name === name);
  if (!span)
    throw new Error(`no span named ${name} among [${spans.map((s) => s.name).join(', ')}]`);
  return span;
}

describe.each<Protocol>(['grpc', 'http/protobuf', 'http/json'])(
  'OTLP trace receiver, %s',
  (protocol) => {
    let receiver: OtlpReceiver | undefined;
    let provider: TracerProvider | undefined;
    const transport = protocol === 'grpc' ? 'grpc' : 'http';

    async function start(options?: Parameters<typeof startOtlpReceiver>[0]): Promise<OtlpReceiver> {
      receiver = await startOtlpReceiver({ transport, ...options });
      provider = providerExportingTo(receiver, protocol);
      return receiver;
    }

    afterEach(async () => {
      await provider?.shutdown();
      await receiver?.stop();
      provider = undefined;
      receiver = undefined;
    });

    describe('receiving spans from the real OTLP exporter', () => {
      let spans: readonly ReceivedSpan[];

      beforeEach(async () => {
        const started = await start();
        const tracer = provider!.getTracer('receiver-test-scope');

        const parent = tracer.startSpan('handle request', { kind: SpanKind.SERVER });
        const child = tracer.startSpan(
          'call model',
          {
            kind: SpanKind.CLIENT,
            attributes: {
              'model.name': 'gemini',
              'retry.count': 2,
              temperature: 3.5,
              streaming: true,
              'tool.names': ['search', 'calculator'],
            },
          },
          trace.setSpan(context.active(), parent),
        );
        child.addEvent('first token', { 'token.index': 0 });
        child.setStatus({ code: SpanStatusCode.ERROR, message: 'quota exceeded' });
        child.end();
        parent.end();
        await provider!.forceFlush();

        spans = await started.waitFor((received) => received.length >= 2, {
          timeoutMs: 2000,
          description: 'parent and child span',
        });
      });

      it('delivers trace and span ids as lowercase hex of the right length', () => {
        for (const span of spans) {
          expect(span.traceId).toMatch(/^[0-9a-f]{32}$/);
          expect(span.spanId).toMatch(/^[0-9a-f]{16}$/);
        }
      });

      it('keeps the parent/child relationship', () => {
        const parent = spanNamed(spans, 'handle request');
        const child = spanNamed(spans, 'call model');

        expect(parent.parentSpanId).toBe('');
        expect(child.parentSpanId).toBe(parent.spanId);
        expect(child.traceId).toBe(parent.traceId);
        expect(receiver!.spansOfTrace(parent.traceId)).toHaveLength(2);
      });

      it('reports span kind, service name and scope', () => {
        const parent = spanNamed(spans, 'handle request');
        const child = spanNamed(spans, 'call model');

        expect(parent.kind).toBe('SERVER');
        expect(child.kind).toBe('CLIENT');
        expect(child.serviceName).toBe(SERVICE_NAME);
        expect(child.resource['service.name']).toBe(SERVICE_NAME);
        expect(child.scopeName).toBe('receiver-test-scope');
        expect(child.endTimeUnixNano).toBeGreaterThanOrEqual(child.startTimeUnixNano);
      });

      it('decodes attribute values and tells ints from doubles', () => {
        const child = spanNamed(spans, 'call model');

        expect(child.attributes).toEqual({
          'model.name': 'gemini',
          'retry.count': 2,
          temperature: 3.5,
          streaming: true,
          'tool.names': ['search', 'calculator'],
        });
        expect(child.attributeTypes).toEqual({
          'model.name': 'string',
          'retry.count': 'int',
          temperature: 'double',
          streaming: 'bool',
          'tool.names': 'array',
        });
      });

      it('records each request with its path and headers', () => {
        const expected =
          protocol === 'grpc'
            ? { path: '/opentelemetry.proto.collector.trace.v1.TraceService/Export', protocol }
            : {
                path: '/v1/traces',
                protocol,
                headers: expect.objectContaining({ authorization: 'Basic cGs6c2s=' }),
              };
        expect(receiver!.requests[0]).toMatchObject(expected);
      });

      it('carries events and the error status', () => {
        const child = spanNamed(spans, 'call model');
        const parent = spanNamed(spans, 'handle request');

        expect(child.events).toEqual([
          {
            name: 'first token',
            timeUnixNano: expect.any(BigInt),
            attributes: { 'token.index': 0 },
          },
        ]);
        expect(child.status).toEqual({ code: 'ERROR', message: 'quota exceeded' });
        expect(parent.status).toEqual({ code: 'UNSET', message: '' });
      });
    });

    it('only counts spans when keepSpans is false', async () => {
      const started = await start({ keepSpans: false });
      const tracer = provider!.getTracer('benchmark');
      for (let i = 0; i < 3; i++) tracer.startSpan(`span ${i}`).end();
      await provider!.forceFlush();

      expect(started.spanCount).toBe(3);
      expect(started.exportCount).toBe(3);
      expect(started.exportSizes).toEqual([1, 1, 1]);
      expect(started.spans).toHaveLength(0);
    });

    it('resolves waitFor when a later export satisfies it', async () => {
      const started = await start();
      const waiting = started.waitFor((spans) => spans.some((span) => span.name === 'late'), {
        timeoutMs: 5000,
      });

      provider!.getTracer('test').startSpan('late').end();

      await expect(waiting).resolves.toEqual([expect.objectContaining({ name: 'late' })]);
    });

    it('rejects waitFor on timeout, naming what it waited for and what arrived', async () => {
      const started = await start();
      provider!.getTracer('test').startSpan('unrelated').end();
      await provider!.forceFlush();

      await expect(
        started.waitFor((spans) => spans.some((span) => span.name === 'never sent'), {
          timeoutMs: 50,
          description: 'the "never sent" span',
        }),
      ).rejects.toThrow(
        /the "never sent" span.*timed out after 50 ms.*received 1 span\(s\) in 1 export\(s\)/,
      );
    });

    it('clear() forgets spans and counters', async () => {
      const started = await start();
      provider!.getTracer('test').startSpan('forgotten').end();
      await provider!.forceFlush();

      started.clear();

      expect(started.spans).toHaveLength(0);
      expect(started.spanCount).toBe(0);
      expect(started.exportCount).toBe(0);
      expect(started.exportSizes).toEqual([]);
    });

    it('can be restarted on the same port after stop(), even while an exporter is connected', async () => {
      const first = await start();
      const tracer = provider!.getTracer('test');
      tracer.startSpan('before restart').end();
      await provider!.forceFlush();
      expect(first.spanCount).toBe(1);

      const stopStartedAt = Date.now();
      await first.stop();
      expect(Date.now() - stopStartedAt).toBeLessThan(2000);

      receiver = await startOtlpReceiver({ transport, port: first.port });
      expect(receiver.port).toBe(first.port);
      expect(receiver.endpoint).toBe(`http://127.0.0.1:${first.port}`);

      tracer.startSpan('after restart').end();
      await expect(
        receiver.waitFor((spans) => spans.length === 1, { timeoutMs: 5000 }),
      ).resolves.toEqual([expect.objectContaining({ name: 'after restart' })]);
    });
  },
);

describe('toReceivedSpans', () => {
  const noAttributes = { attributes: [] };

  it('converts nested values, bytes, negative ints and missing optional messages', () => {
    const [span] = toReceivedSpans({
      resourceSpans: [
        {
          resource: null,
          scopeSpans: [
            {
              scope: null,
              spans: [
                {
                  traceId: Buffer.from('0af7651916cd43dd8448eb211c80319c', 'hex'),
                  spanId: Buffer.from('b7ad6b7169203331', 'hex'),
                  parentSpanId: Buffer.alloc(0),
                  name: 'decoded',
                  kind: 99,
                  startTimeUnixNano: '18446744073709551615',
                  endTimeUnixNano: '0',
                  attributes: [
                    { key: 'delta', value: { value: 'intValue', intValue: '-5' } },
                    {
                      key: 'digest',
                      value: { value: 'bytesValue', bytesValue: Buffer.from([0xde, 0xad]) },
                    },
                    {
                      key: 'nested',
                      value: {
                        value: 'kvlistValue',
                        kvlistValue: {
                          values: [
                            {
                              key: 'inner',
                              value: { value: 'arrayValue', arrayValue: { values: [] } },
                            },
                          ],
                        },
                      },
                    },
                    { key: 'empty', value: {} },
                  ],
                  events: [{ name: 'tick', timeUnixNano: '42', ...noAttributes }],
                  status: null,
                },
              ],
            },
          ],
        },
      ],
    });

    expect(span).toEqual({
      traceId: '0af7651916cd43dd8448eb211c80319c',
      spanId: 'b7ad6b7169203331',
      parentSpanId: '',
      name: 'decoded',
      kind: 'UNSPECIFIED',
      startTimeUnixNano: 18446744073709551615n,
      endTimeUnixNano: 0n,
      attributes: { delta: -5, digest: 'dead', nested: { inner: [] } },
      attributeTypes: { delta: 'int', digest: 'bytes', nested: 'kvlist' },
      events: [{ name: 'tick', timeUnixNano: 42n, attributes: {} }],
      links: [],
      status: { code: 'UNSET', message: '' },
      resource: {},
      serviceName: '',
      scopeName: '',
    });
  });
});

/** A reader that only collects when asked: the test serializes what it collected itself. */
class CollectingReader extends MetricReader {
  protected onForceFlush = () => Promise.resolve();
  protected onShutdown = () => Promise.resolve();
}

describe.each<'http/protobuf' | 'http/json'>(['http/protobuf', 'http/json'])(
  'OTLP/HTTP metrics, %s',
  (protocol) => {
    it('decodes the counters and histograms posted to /v1/metrics, with their attributes', async () => {
      const receiver = await startOtlpReceiver({ transport: 'http' });
      const reader = new CollectingReader();
      const provider = new MeterProvider({
        resource: resourceFromAttributes({ 'service.name': SERVICE_NAME }),
        readers: [reader],
      });
      try {
        const meter = provider.getMeter('receiver-test-scope');
        meter.createCounter('requests').add(3, { route: '/a' });
        const histogram = meter.createHistogram('tokens', {
          unit: '{token}',
          advice: { explicitBucketBoundaries: [10, 100] },
        });
        histogram.record(5, { type: 'input' });
        histogram.record(50, { type: 'input' });
        const { resourceMetrics } = await reader.collect();
        const [serializer, contentType] =
          protocol === 'http/json'
            ? [JsonMetricsSerializer, 'application/json']
            : [ProtobufMetricsSerializer, 'application/x-protobuf'];
        const response = await fetch(`${receiver.endpoint}/v1/metrics`, {
          method: 'POST',
          headers: { 'content-type': contentType },
          body: serializer.serializeRequest(resourceMetrics),
        });

        expect(response.status).toBe(200);
        expect(receiver.requests).toEqual([
          { path: '/v1/metrics', headers: expect.any(Object), protocol },
        ]);
        expect(receiver.spanCount).toBe(0);
        const common = { serviceName: SERVICE_NAME, scopeName: 'receiver-test-scope' };
        expect(receiver.metricPoints).toEqual([
          {
            ...common,
            name: 'requests',
            unit: '',
            type: 'sum',
            temporality: 'CUMULATIVE',
            attributes: { route: '/a' },
            timeUnixNano: expect.any(BigInt),
            value: 3,
          },
          {
            ...common,
            name: 'tokens',
            unit: '{token}',
            type: 'histogram',
            temporality: 'CUMULATIVE',
            attributes: { type: 'input' },
            timeUnixNano: expect.any(BigInt),
            count: 2,
            sum: 55,
            bucketCounts: [1, 1, 0],
            explicitBounds: [10, 100],
          },
        ]);
      } finally {
        await provider.shutdown();
        await receiver.stop();
      }
    });
  },
);
