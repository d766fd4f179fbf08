import { isDeepStrictEqual } from 'node:util';
import Ajv from 'ajv';
import type { ExpectedCall, Predicate } from '../dataset/case-schema';
import type { ToolCall } from '../trace/run-trace';

const ajv = new Ajv({ allErrors: true, strict: false });

/** Why a value fails a predicate, or undefined when it passes. */
function predicateFailure(value: unknown, predicate: Predicate): string | undefined {
  const shown = JSON.stringify(value);
  if ('equals' in predicate && !isDeepStrictEqual(value, predicate.equals))
    return `${shown} is not ${JSON.stringify(predicate.equals)}`;
  if (predicate.contains !== undefined && !String(value ?? '').includes(predicate.contains))
    return `${shown} does not contain "${predicate.contains}"`;
  if (
    predicate.matches !== undefined &&
    !new RegExp(predicate.matches, 'iu').test(String(value ?? ''))
  )
    return `${shown} does not match /${predicate.matches}/`;
  if (predicate.min !== undefined && !(typeof value === 'number' && value >= predicate.min))
    return `${shown} is not at least ${predicate.min}`;
  if (predicate.max !== undefined && !(typeof value === 'number' && value <= predicate.max))
    return `${shown} is not at most ${predicate.max}`;
  if (predicate.one_of && !predicate.one_of.some((option) => isDeepStrictEqual(value, option)))
    return `${shown} is none of ${JSON.stringify(predicate.one_of)}`;
  return undefined;
}

function argumentsFailure(
  expected: ExpectedCall,
  args: Record<string, unknown>,
): string | undefined {
  if (expected.args && !isDeepStrictEqual(args, expected.args))
    return `arguments ${JSON.stringify(args)}, not ${JSON.stringify(expected.args)}`;
  if (expected.args_schema) {
    const validate = ajv.compile(expected.args_schema);
    if (!validate(args))
      return `arguments ${JSON.stringify(args)}: ${ajv.errorsText(validate.errors)}`;
  }
  for (const [name, predicate] of Object.entries(expected.args_where ?? {})) {
    const failure = predicateFailure(args[name], predicate);
    if (failure) return `argument ${name}: ${failure}`;
  }
  return undefined;
}

/** Why a call is not the expected one, or undefined when it is. */
function callMismatch(expected: ExpectedCall, actual: ToolCall): string | undefined {
  if (actual.name !== expected.name) return `${actual.name} is not ${expected.name}`;
  if (actual.ok !== expected.ok) return `${actual.name} ${actual.ok ? 'succeeded' : 'failed'}`;
  const checksArguments = expected.args ?? expected.args_schema ?? expected.args_where;
  if (!checksArguments) return undefined;
  // The arguments are content: recorded only with OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT.
  if (!actual.args)
    return `${actual.name}: its arguments were not recorded (content capture is off)`;
  const failure = argumentsFailure(expected, actual.args);
  return failure && `${actual.name}: ${failure}`;
}

const matches = (expected: ExpectedCall, actual: ToolCall) => !callMismatch(expected, actual);

/**
 * How many expected calls can be paired with distinct actual calls (a maximum matching, by
 * augmenting paths: a greedy pairing could spend a specific call on a loose expectation).
 */
export function countMatched(
  expected: readonly ExpectedCall[],
  actual: readonly ToolCall[],
): number {
  const pairedWith: (number | undefined)[] = actual.map(() => undefined);
  const tryPair = (index: number, seen: Set<number>): boolean =>
    actual.some((call, callIndex) => {
      if (seen.has(callIndex) || !matches(expected[index]!, call)) return false;
      seen.add(callIndex);
      const holder = pairedWith[callIndex];
      if (holder !== undefined && !tryPair(holder, seen)) return false;
      pairedWith[callIndex] = index;
      return true;
    });
  return expected.filter((_, index) => tryPair(index, new Set())).length;
}

/** The expected calls appear in this order, other calls allowed between them. */
function inOrder(expected: readonly ExpectedCall[], actual: readonly ToolCall[]): boolean {
  let next = 0;
  for (const call of actual)
    if (next < expected.length && matches(expected[next]!, call)) next += 1;
  return next === expected.length;
}

export type TrajectoryOrder = 'exact' | 'in_order' | 'any_order';

export function followsTrajectory(
  order: TrajectoryOrder,
  expected: readonly ExpectedCall[],
  actual: readonly ToolCall[],
): boolean {
  switch (order) {
    case 'exact':
      return (
        actual.length === expected.length &&
        expected.every((call, index) => matches(call, actual[index]!))
      );
    case 'in_order':
      return inOrder(expected, actual);
    case 'any_order':
      return countMatched(expected, actual) === expected.length;
  }
}

/** The calls as a short line: `calculator, search_knowledge_base (failed)`, or `no tool call`. */
export function describeCalls(calls: readonly ToolCall[]): string {
  if (!calls.length) return 'no tool call';
  return calls.map((call) => `${call.name}${call.ok ? '' : ' (failed)'}`).join(', ');
}

/** Why each expected call found no actual one: the nearest mismatch, for the explanation. */
export function unmatchedReasons(
  expected: readonly ExpectedCall[],
  actual: readonly ToolCall[],
): string[] {
  return expected.flatMap((call) => {
    if (actual.some((candidate) => matches(call, candidate))) return [];
    const sameName = actual.find((candidate) => candidate.name === call.name);
    return [sameName ? callMismatch(call, sameName)! : `${call.name} was not called`];
  });
}
