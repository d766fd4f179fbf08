import type { ReceivedSpan } from '../../dev/otlp/receiver';

/**
 * A span tree as a fixture of test/fixtures/genai-conventions/ writes it, and the check of a
 * received trace against it: names, kinds, services and parent/child exactly (children in any
 * order), and on each span the attributes its definition requires or recommends that we set.
 */

/** What a convention says of one span type, as read in its YAML (see the fixture's `sources`). */
export interface SpanDefinition {
  /** Where it is defined: a YAML path and group, or `ours`. */
  definedIn: string;
  kind: string;
  /** The span name rule, as the convention writes it. */
  name: string;
  /** Required, conditionally required (when we can) and recommended attributes that we set. */
  attributes: string[];
  /** Of those, the ones to give when the span starts (`sampling_relevant` in the YAML). */
  samplingRelevant?: string[];
  /** Opt-in content, recorded with `OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT=true`. */
  content?: string[];
  /** Names this mode must not write on the span (renamed or deprecated ones). */
  absent?: string[];
}

export interface FixtureSpan {
  service: string;
  name: string;
  kind: string;
  /** A key of the fixture's `definitions`; spans of instrumentations have none. */
  type?: string;
  /** Values known in advance (ports and ids vary from run to run and are not listed). */
  attributes?: Record<string, unknown>;
  children?: FixtureSpan[];
}

export interface ConventionsFixture {
  mode: string;
  env: Record<string, string>;
  definitions: Record<string, SpanDefinition>;
  tree: FixtureSpan;
}

const label = (span: { service?: string; serviceName?: string; name: string; kind: string }) =>
  `${span.service ?? span.serviceName} ${span.kind} ${span.name}`;

/**
 * Every difference between the received trace and the fixture, as one line each: an empty list
 * means the trace is what the fixture says.
 */
export function differencesFromFixture(
  spans: readonly ReceivedSpan[],
  fixture: ConventionsFixture,
): string[] {
  const problems: string[] = [];
  const childrenOf = (parent: ReceivedSpan | undefined) =>
    spans.filter((span) => span.parentSpanId === (parent?.spanId ?? ''));

  const compare = (expected: FixtureSpan, actual: ReceivedSpan, path: string) => {
    const where = `${path} > ${label(actual)}`;
    if (expected.type) problems.push(...definitionProblems(expected, actual, fixture, where));
    for (const [key, value] of Object.entries(expected.attributes ?? {}))
      if (JSON.stringify(actual.attributes[key]) !== JSON.stringify(value))
        problems.push(
          `${where}: ${key} is ${JSON.stringify(actual.attributes[key])}, not ${JSON.stringify(value)}`,
        );
    matchChildren(expected.children ?? [], childrenOf(actual), where);
  };

  const matchChildren = (expected: FixtureSpan[], actual: ReceivedSpan[], path: string) => {
    const unmatched = [...actual];
    for (const child of expected) {
      const index = unmatched.findIndex((span) => label(span) === label(child));
      if (index < 0) {
        problems.push(`${path}: no child ${label(child)}`);
        continue;
      }
      compare(child, unmatched.splice(index, 1)[0]!, path);
    }
    for (const extra of unmatched) problems.push(`${path}: unexpected child ${label(extra)}`);
  };

  matchChildren([fixture.tree], childrenOf(undefined), 'trace');
  return problems;
}

function definitionProblems(
  expected: FixtureSpan,
  actual: ReceivedSpan,
  fixture: ConventionsFixture,
  where: string,
): string[] {
  const definition = fixture.definitions[expected.type!];
  if (!definition) return [`${where}: no definition "${expected.type}" in the fixture`];
  const problems: string[] = [];
  if (actual.kind !== definition.kind)
    problems.push(`${where}: kind ${actual.kind}, the definition says ${definition.kind}`);
  for (const key of [...definition.attributes, ...(definition.content ?? [])])
    if (!(key in actual.attributes)) problems.push(`${where}: missing ${key}`);
  for (const key of definition.absent ?? [])
    if (key in actual.attributes) problems.push(`${where}: has ${key}, which this mode renames`);
  return problems;
}
