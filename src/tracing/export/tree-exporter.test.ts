import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Tracer } from '@opentelemetry/api';
import { TracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace';
import { TreeExporter } from './tree-exporter';

/** A fixed instant, so durations (and so the printed lines) are exact. */
const T0 = Date.UTC(2026, 0, 1);

interface Harness {
  tracer: Tracer;
  written: string[];
  provider: TracerProvider;
}

const providers: TracerProvider[] = [];

function setUp(
  maxPendingTraces?: number,
  showAttributes?: boolean,
  showHousekeeping?: boolean,
): Harness {
  const written: string[] = [];
  const exporter = new TreeExporter({
    write: (text) => void written.push(text),
    maxPendingTraces,
    showAttributes,
    showHousekeeping,
  });
  const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
  providers.push(provider);
  return { tracer: provider.getTracer('tree-exporter-test'), written, provider };
}

afterEach(async () => {
  await Promise.all(providers.splice(0).map((provider) => provider.shutdown()));
});

describe('TreeExporter', () => {
  it('prints a trace once, as a tree, when its root ends', () => {
    const { tracer, written } = setUp();
    const root = tracer.startSpan('agent.task', { startTime: T0 }, ROOT_CONTEXT);
    const inRoot = trace.setSpan(ROOT_CONTEXT, root);
    const calculator = tracer.startSpan('tool.calculator', { startTime: T0 + 1 }, inRoot);
    const search = tracer.startSpan('tool.search_knowledge_base', { startTime: T0 + 2 }, inRoot);
    search.setAttribute('error.type', 'tool_failed');
    search.setStatus({ code: SpanStatusCode.ERROR, message: 'index missing' });

    calculator.end(T0 + 4);
    search.end(T0 + 6.5);
    expect(written).toEqual([]);
    root.end(T0 + 10);

    expect(written).toEqual([
      [
        `Trace ${root.spanContext().traceId}`,
        'agent.task                                                       10.0 ms',
        '├─ tool.calculator                                                3.0 ms',
        '└─ tool.search_knowledge_base                                     4.5 ms  ✗ ERROR tool_failed',
      ].join('\n') + '\n\n',
    ]);
  });

  it('shows the status message of a failed span that has no error.type', () => {
    const { tracer, written } = setUp();
    const root = tracer.startSpan('agent.task', { startTime: T0 }, ROOT_CONTEXT);
    root.setStatus({ code: SpanStatusCode.ERROR, message: 'model down' });
    root.end(T0 + 1);

    expect(written).toHaveLength(1);
    expect(written[0]).toContain('agent.task');
    expect(written[0]).toMatch(/1\.0 ms {2}✗ ERROR model down\n\n$/);
  });

  it('holds a trace whose root has not ended until shutdown, then prints what it has', async () => {
    const { tracer, written, provider } = setUp();
    const root = tracer.startSpan('agent.task', { startTime: T0 }, ROOT_CONTEXT);
    tracer
      .startSpan('memory.read', { startTime: T0 + 1 }, trace.setSpan(ROOT_CONTEXT, root))
      .end(T0 + 2);

    expect(written).toEqual([]);
    await provider.shutdown();

    expect(written).toEqual([
      [
        `Trace ${root.spanContext().traceId}`,
        'memory.read                                                       1.0 ms',
      ].join('\n') + '\n\n',
      '1 trace tree printed\n',
    ]);
  });

  it('keeps at most maxPendingTraces unfinished traces, dropping the oldest', async () => {
    const { tracer, written, provider } = setUp(2);
    for (let index = 0; index < 5; index++) {
      const root = tracer.startSpan(`root-${index}`, { startTime: T0 }, ROOT_CONTEXT);
      tracer
        .startSpan(`pending-${index}`, { startTime: T0 }, trace.setSpan(ROOT_CONTEXT, root))
        .end(T0 + 1);
    }

    expect(written).toEqual([]);
    await provider.shutdown();

    expect(written).toHaveLength(3);
    expect(written[0]).toContain('pending-3');
    expect(written[1]).toContain('pending-4');
    expect(written.join('')).not.toMatch(/pending-[012]/);
  });

  it('prints a span whose parent is remote as the root of this service’s part of the trace', () => {
    const { tracer, written } = setUp();
    const traceId = '0af7651916cd43dd8448eb211c80319c';
    const remote = trace.setSpanContext(ROOT_CONTEXT, {
      traceId,
      spanId: 'b7ad6b7169203331',
      traceFlags: 1,
      isRemote: true,
    });
    const server = tracer.startSpan('POST /api/v1/execute', { startTime: T0 }, remote);
    tracer
      .startSpan('agent.task', { startTime: T0 + 1 }, trace.setSpan(remote, server))
      .end(T0 + 3);

    expect(written).toEqual([]);
    server.end(T0 + 4);

    expect(written).toEqual([
      [
        `Trace ${traceId}`,
        'POST /api/v1/execute                                              4.0 ms',
        '└─ agent.task                                                     2.0 ms',
      ].join('\n') + '\n\n',
    ]);
  });
  it("prints each span's attributes under it when asked (TRACE_TREE_ATTRIBUTES=true)", () => {
    const { tracer, written } = setUp(undefined, true);
    const root = tracer.startSpan(
      'agent.task',
      { startTime: T0, attributes: { 'gen_ai.agent.name': 'traced-agent' } },
      ROOT_CONTEXT,
    );
    root.setAttributes({ 'correlation.id': 'c-1', 'host.name': 'box' });
    root.end(T0 + 1);

    expect(written[0]!.split('\n').slice(1, 5)).toEqual([
      'agent.task                                                        1.0 ms',
      '     correlation.id = c-1',
      '     gen_ai.agent.name = traced-agent',
      '     host.name = box',
    ]);
  });

  describe('housekeeping traffic (probes, the MCP handshake)', () => {
    /** A request that began here: a server span with no parent, on `path`. */
    const request = (tracer: Tracer, name: string, path: string) =>
      tracer.startSpan(
        name,
        { startTime: T0, kind: SpanKind.SERVER, attributes: { 'url.path': path } },
        ROOT_CONTEXT,
      );

    it('leaves out the trace of a lone server span on /mcp or a probe, and says how many at shutdown', async () => {
      const { tracer, written, provider } = setUp();
      for (const [name, path] of [
        ['POST /mcp', '/mcp'],
        ['GET /mcp', '/mcp'],
        ['POST /healthz', '/healthz'],
        ['GET /readyz', '/readyz'],
        ['GET /livez', '/livez'],
      ])
        request(tracer, name!, path!).end(T0 + 1);
      const api = request(tracer, 'POST /api/v1/agent/execute', '/api/v1/agent/execute');
      api.end(T0 + 2);

      expect(written).toHaveLength(1);
      expect(written[0]).toContain('POST /api/v1/agent/execute');
      await provider.shutdown();
      expect(written[1]).toBe(
        '1 trace tree printed (5 hidden: probes and the MCP handshake; LOG_LEVEL=debug prints them)\n',
      );
    });

    it('prints a tools/call on /mcp, which has a span of its own under the request', () => {
      const { tracer, written } = setUp();
      const post = request(tracer, 'POST /mcp', '/mcp');
      tracer
        .startSpan(
          'tools/call convert_units',
          { startTime: T0 + 1 },
          trace.setSpan(ROOT_CONTEXT, post),
        )
        .end(T0 + 2);
      post.end(T0 + 3);
      expect(written.join('')).toContain('└─ tools/call convert_units');
    });

    it("prints this service's part of a caller's trace on /mcp (a remote parent)", () => {
      const { tracer, written } = setUp();
      const remote = trace.setSpanContext(ROOT_CONTEXT, {
        traceId: '0af7651916cd43dd8448eb211c80319c',
        spanId: 'b7ad6b7169203331',
        traceFlags: 1,
        isRemote: true,
      });
      tracer
        .startSpan(
          'POST /mcp',
          { startTime: T0, kind: SpanKind.SERVER, attributes: { 'url.path': '/mcp' } },
          remote,
        )
        .end(T0 + 1);
      expect(written.join('')).toContain('Trace 0af7651916cd43dd8448eb211c80319c\nPOST /mcp');
    });

    it('prints them too when asked (LOG_LEVEL=debug), hiding none', async () => {
      const { tracer, written, provider } = setUp(undefined, false, true);
      request(tracer, 'GET /mcp', '/mcp').end(T0 + 1);
      await provider.shutdown();
      expect(written).toEqual([expect.stringContaining('GET /mcp'), '1 trace tree printed\n']);
    });
  });
});
