/** A span as the tree needs it, whatever it came from (the SDK in process, or OTLP on the wire). */
export interface TreeSpan {
  spanId: string;
  /** Empty or undefined for a root. */
  parentSpanId?: string;
  name: string;
  startTimeMs: number;
  durationMs: number;
  serviceName?: string;
  kind?: string;
  /** Set for spans with ERROR status: `error.type`, or the status message. */
  error?: string;
  /** Shown under the span line when `showAttributes` is set. */
  attributes?: Readonly<Record<string, unknown>>;
  /** Span links (to a context the span is related to but not a child of): always shown. */
  links?: readonly { traceId: string; spanId: string }[];
}

export interface RenderOptions {
  traceId: string;
  /** Prefix each span with its service: for traces that cross services. */
  showService?: boolean;
  /** Column where durations are right-aligned. */
  width?: number;
  /** Each span's attributes under its line, sorted by name, long values cut. */
  showAttributes?: boolean;
}

/** Longest attribute value shown, so that content captures and long ids do not flood the tree. */
const MAX_ATTRIBUTE_VALUE_CHARS = 80;

interface Node {
  span: TreeSpan;
  children: Node[];
}

function buildForest(spans: readonly TreeSpan[]): Node[] {
  const nodes = new Map(spans.map((span) => [span.spanId, { span, children: [] as Node[] }]));
  const roots: Node[] = [];
  for (const node of nodes.values()) {
    const parent = node.span.parentSpanId ? nodes.get(node.span.parentSpanId) : undefined;
    (parent ? parent.children : roots).push(node);
  }
  const byStart = (a: Node, b: Node) => a.span.startTimeMs - b.span.startTimeMs;
  for (const node of nodes.values()) node.children.sort(byStart);
  return roots.sort(byStart);
}

function formatDuration(ms: number): string {
  const millis = ms.toFixed(1);
  // Decided on the rounded value, so 999.96 ms reads "1.00 s", not "1000.0 ms".
  return Number(millis) >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${millis} ms`;
}

function formatAttributeValue(value: unknown): string {
  const text = (typeof value === 'string' ? value : String(JSON.stringify(value))).replace(
    /\r?\n/g,
    '\\n',
  );
  return text.length > MAX_ATTRIBUTE_VALUE_CHARS
    ? `${text.slice(0, MAX_ATTRIBUTE_VALUE_CHARS - 1)}…`
    : text;
}

function attributeLines(attributes: Readonly<Record<string, unknown>>, indent: string): string[] {
  return Object.keys(attributes)
    .sort()
    .map((name) => `${indent}${name} = ${formatAttributeValue(attributes[name])}`);
}

/**
 * A trace as an indented tree with durations, like the workshop's diagram. Spans whose parent is
 * not in the set (a remote parent, or one not received yet) are drawn as roots.
 */
export function renderTraceTree(
  spans: readonly TreeSpan[],
  { traceId, showService = false, width = 72, showAttributes = false }: RenderOptions,
): string {
  const lines = [`Trace ${traceId}`];
  const visit = (node: Node, prefix: string, connector: string) => {
    const { span } = node;
    const service = showService && span.serviceName ? `[${span.serviceName}] ` : '';
    const kind = span.kind && span.kind !== 'INTERNAL' ? ` (${span.kind})` : '';
    const label = `${prefix}${connector}${service}${span.name}${kind}`;
    const duration = formatDuration(span.durationMs);
    const failure = span.error ? `  ✗ ERROR ${span.error}` : '';
    const padding = ' '.repeat(Math.max(1, width - label.length - duration.length));
    lines.push(`${label}${padding}${duration}${failure}`);
    const childPrefix = prefix + (connector === '├─ ' ? '│  ' : connector === '└─ ' ? '   ' : '');
    // Under the span's own line, beside the bar that leads to its children.
    const underSpan = `${childPrefix}${node.children.length ? '│' : ' '}    `;
    for (const link of span.links ?? [])
      lines.push(`${underSpan}↪ link to trace ${link.traceId}, span ${link.spanId}`);
    if (showAttributes && span.attributes)
      lines.push(...attributeLines(span.attributes, underSpan));
    node.children.forEach((child, index) =>
      visit(child, childPrefix, index === node.children.length - 1 ? '└─ ' : '├─ '),
    );
  };
  for (const root of buildForest(spans)) visit(root, '', '');
  return lines.join('\n');
}
