import { type TreeSpan, renderTraceTree } from './render-trace-tree';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';

const root: TreeSpan = {
  spanId: 'root',
  name: 'POST /agent',
  startTimeMs: 0,
  durationMs: 1500,
  kind: 'SERVER',
  serviceName: 'agent-service',
};
const chat: TreeSpan = {
  spanId: 'chat',
  parentSpanId: 'root',
  name: 'chat gemini',
  startTimeMs: 10,
  durationMs: 12.34,
  kind: 'INTERNAL',
  serviceName: 'agent-service',
};
const http: TreeSpan = {
  spanId: 'http',
  parentSpanId: 'chat',
  name: 'HTTP POST',
  startTimeMs: 12,
  durationMs: 8,
  kind: 'CLIENT',
  serviceName: 'agent-service',
  error: 'timeout',
};
const tool: TreeSpan = {
  spanId: 'tool',
  parentSpanId: 'root',
  name: 'execute_tool calculator',
  startTimeMs: 30,
  durationMs: 0.5,
};

/** Only the span lines, without the "Trace ..." header and the duration column. */
function outline(spans: readonly TreeSpan[]): string[] {
  return renderTraceTree(spans, { traceId: TRACE_ID, width: 40 })
    .split('\n')
    .slice(1)
    .map((line) => line.replace(/\s{2,}\S+ m?s.*$/, ''));
}

describe('renderTraceTree', () => {
  it('draws a root, two children and a grandchild with tree connectors and aligned durations', () => {
    expect(renderTraceTree([root, chat, http, tool], { traceId: TRACE_ID, width: 40 })).toBe(
      [
        'Trace 4bf92f3577b34da6a3ce929d0e0e4736',
        'POST /agent (SERVER)              1.50 s',
        '├─ chat gemini                   12.3 ms',
        '│  └─ HTTP POST (CLIENT)          8.0 ms  ✗ ERROR timeout',
        '└─ execute_tool calculator        0.5 ms',
      ].join('\n'),
    );
  });

  it('orders children by start time regardless of input order', () => {
    const shuffled = [tool, http, root, chat];
    expect(renderTraceTree(shuffled, { traceId: TRACE_ID, width: 40 })).toBe(
      renderTraceTree([root, chat, http, tool], { traceId: TRACE_ID, width: 40 }),
    );
    const late = { ...chat, startTimeMs: 50 };
    expect(outline([root, late, http, tool])).toEqual([
      'POST /agent (SERVER)',
      '├─ execute_tool calculator',
      '└─ chat gemini',
      '   └─ HTTP POST (CLIENT)',
    ]);
  });

  it('indents below a last child with spaces, not a bar', () => {
    const args: TreeSpan = {
      spanId: 'args',
      parentSpanId: 'tool',
      name: 'validate',
      startTimeMs: 31,
      durationMs: 0.1,
    };
    expect(outline([root, chat, tool, args])).toEqual([
      'POST /agent (SERVER)',
      '├─ chat gemini',
      '└─ execute_tool calculator',
      '   └─ validate',
    ]);
  });

  it.each([
    [12.34, '12.3 ms'],
    [0.04, '0.0 ms'],
    [999.9, '999.9 ms'],
    [999.96, '1.00 s'],
    [1000, '1.00 s'],
    [1500, '1.50 s'],
    [61_234, '61.23 s'],
  ])('formats a duration of %d ms as "%s"', (durationMs, expected) => {
    const [, line] = renderTraceTree([{ spanId: 's', name: 'work', startTimeMs: 0, durationMs }], {
      traceId: TRACE_ID,
      width: 30,
    }).split('\n');
    expect(line).toBe(`work${' '.repeat(26 - expected.length)}${expected}`);
  });

  it('marks an error with ✗ ERROR and its type after the duration', () => {
    const failed: TreeSpan = {
      spanId: 'f',
      name: 'execute_tool explode',
      startTimeMs: 0,
      durationMs: 2,
      error: 'tool_failed',
    };
    expect(renderTraceTree([failed], { traceId: TRACE_ID, width: 30 })).toBe(
      [
        'Trace 4bf92f3577b34da6a3ce929d0e0e4736',
        'execute_tool explode    2.0 ms  ✗ ERROR tool_failed',
      ].join('\n'),
    );
  });

  it('prefixes each span with [service] when showService is set', () => {
    const remote: TreeSpan = {
      spanId: 'remote',
      parentSpanId: 'tool',
      name: 'POST /execute',
      startTimeMs: 31,
      durationMs: 5,
      kind: 'SERVER',
      serviceName: 'sub-agent-service',
    };
    expect(
      renderTraceTree([root, tool, remote], { traceId: TRACE_ID, showService: true, width: 60 }),
    ).toBe(
      [
        'Trace 4bf92f3577b34da6a3ce929d0e0e4736',
        '[agent-service] POST /agent (SERVER)                  1.50 s',
        '└─ execute_tool calculator                            0.5 ms',
        '   └─ [sub-agent-service] POST /execute (SERVER)      5.0 ms',
      ].join('\n'),
    );
  });

  it('shows the kind for non-INTERNAL spans only', () => {
    const spans: TreeSpan[] = [
      { spanId: 'a', name: 'internal', startTimeMs: 0, durationMs: 1, kind: 'INTERNAL' },
      { spanId: 'b', name: 'producer', startTimeMs: 1, durationMs: 1, kind: 'PRODUCER' },
      { spanId: 'c', name: 'unknown', startTimeMs: 2, durationMs: 1 },
    ];
    expect(outline(spans)).toEqual(['internal', 'producer (PRODUCER)', 'unknown']);
  });

  it('draws spans whose parent is missing as roots, ordered by start time', () => {
    const orphan: TreeSpan = {
      spanId: 'o',
      parentSpanId: 'not-received',
      name: 'orphan',
      startTimeMs: -5,
      durationMs: 1,
    };
    const orphanChild: TreeSpan = {
      spanId: 'oc',
      parentSpanId: 'o',
      name: 'orphan child',
      startTimeMs: -4,
      durationMs: 1,
    };
    expect(outline([root, tool, orphanChild, orphan])).toEqual([
      'orphan',
      '└─ orphan child',
      'POST /agent (SERVER)',
      '└─ execute_tool calculator',
    ]);
  });

  it('keeps at least one space between a long name and its duration', () => {
    const long: TreeSpan = { spanId: 'l', name: 'x'.repeat(50), startTimeMs: 0, durationMs: 3 };
    expect(renderTraceTree([long], { traceId: TRACE_ID, width: 20 }).split('\n')[1]).toBe(
      `${'x'.repeat(50)} 3.0 ms`,
    );
  });

  it('renders only the header for an empty trace', () => {
    expect(renderTraceTree([], { traceId: TRACE_ID })).toBe(
      'Trace 4bf92f3577b34da6a3ce929d0e0e4736',
    );
  });
  it("draws a span's links under its line, before its attributes, whether or not these are shown", () => {
    const linked: TreeSpan = {
      ...root,
      links: [{ traceId: TRACE_ID, spanId: '00f067aa0ba902b7' }],
      attributes: { 'host.name': 'box' },
    };
    const lines = (showAttributes: boolean) =>
      renderTraceTree([linked, chat], { traceId: TRACE_ID, width: 40, showAttributes })
        .split('\n')
        .slice(1, 4);
    expect(lines(false)).toEqual([
      'POST /agent (SERVER)              1.50 s',
      '│    ↪ link to trace 4bf92f3577b34da6a3ce929d0e0e4736, span 00f067aa0ba902b7',
      '└─ chat gemini                   12.3 ms',
    ]);
    expect(lines(true)[2]).toBe('│    host.name = box');
  });

  describe('with showAttributes', () => {
    const withAttributes = (span: TreeSpan, attributes: Record<string, unknown>): TreeSpan => ({
      ...span,
      attributes,
    });

    it("lists each span's attributes under its line, sorted by name, beside the bar to its children", () => {
      const spans = [
        withAttributes(root, { 'host.name': 'box', 'correlation.id': 'demo-1' }),
        withAttributes(chat, {
          'gen_ai.request.model': 'gemini-2.0-flash',
          'gen_ai.usage.input_tokens': 12,
        }),
        http,
        withAttributes(tool, { 'gen_ai.tool.name': 'calculator', 'tool.success': true }),
      ];
      expect(renderTraceTree(spans, { traceId: TRACE_ID, width: 40, showAttributes: true })).toBe(
        [
          'Trace 4bf92f3577b34da6a3ce929d0e0e4736',
          'POST /agent (SERVER)              1.50 s',
          '│    correlation.id = demo-1',
          '│    host.name = box',
          '├─ chat gemini                   12.3 ms',
          '│  │    gen_ai.request.model = gemini-2.0-flash',
          '│  │    gen_ai.usage.input_tokens = 12',
          '│  └─ HTTP POST (CLIENT)          8.0 ms  ✗ ERROR timeout',
          '└─ execute_tool calculator        0.5 ms',
          '        gen_ai.tool.name = calculator',
          '        tool.success = true',
        ].join('\n'),
      );
    });

    it('cuts long values, keeps each value on one line, and writes arrays as JSON', () => {
      const span = withAttributes(tool, {
        'gen_ai.input.messages': 'x'.repeat(500),
        'gen_ai.output.messages': 'first line\nsecond line',
        'gen_ai.response.finish_reasons': ['STOP'],
      });
      const lines = renderTraceTree([span], { traceId: TRACE_ID, showAttributes: true })
        .split('\n')
        .slice(2);
      expect(lines).toEqual([
        `     gen_ai.input.messages = ${'x'.repeat(79)}…`,
        '     gen_ai.output.messages = first line\\nsecond line',
        '     gen_ai.response.finish_reasons = ["STOP"]',
      ]);
    });

    it('shows no attributes unless asked', () => {
      const spans = [withAttributes(root, { 'host.name': 'box' })];
      expect(renderTraceTree(spans, { traceId: TRACE_ID })).not.toContain('host.name');
    });
  });
});
