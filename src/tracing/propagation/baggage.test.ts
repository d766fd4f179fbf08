import { hostname } from 'node:os';
import { ROOT_CONTEXT, context, propagation, trace, type Context } from '@opentelemetry/api';
import { installInMemoryTracing } from '../../../test/support/in-memory-tracing';
import { isSafeBaggageValue, readAllowedBaggage, withBaggage } from './baggage';
import { EnrichingSpanProcessor, processAttributes } from '../processors/enriching-span-processor';

// The real setup: AsyncLocalStorage context, W3C trace context + baggage propagators, and our
// processor.
const tracing = installInMemoryTracing({
  processors: [new EnrichingSpanProcessor(processAttributes('9.9.9'))],
});
const tracer = trace.getTracer('baggage-test');

afterAll(() => tracing.shutdown());
beforeEach(() => tracing.reset());

const withEntries = (entries: Record<string, string>, base: Context = ROOT_CONTEXT): Context =>
  propagation.setBaggage(
    base,
    propagation.createBaggage(
      Object.fromEntries(Object.entries(entries).map(([key, value]) => [key, { value }])),
    ),
  );

const activeEntries = (): Record<string, string> =>
  Object.fromEntries(
    (propagation.getActiveBaggage()?.getAllEntries() ?? []).map(([key, entry]) => [
      key,
      entry.value,
    ]),
  );

/** Starts and ends one span in `ctx` and returns it as exported. */
function spanIn(ctx: Context, name = 'work') {
  context.with(ctx, () => tracer.startSpan(name).end());
  const [span] = tracing.spans().filter((finished) => finished.name === name);
  return span!;
}

describe('isSafeBaggageValue', () => {
  it.each([
    ['a correlation id', 'c-1'],
    ['a user name', 'ana'],
    ['an underscore', 'user_42'],
    ['an e-mail address', 'ana@example.com'],
    ['colons and dots', 'tenant:eu.west-1'],
    ['128 characters', 'a'.repeat(128)],
  ])('accepts %s', (_label, value) => {
    expect(isSafeBaggageValue(value)).toBe(true);
  });

  it.each([
    ['an empty string', ''],
    ['spaces', 'ana lopez'],
    ['markup', '<script>'],
    ['a comma', 'a,b'],
    ['129 characters', 'a'.repeat(129)],
    ['200 characters', 'x'.repeat(200)],
    ['non-ASCII letters', 'josé'],
    ['a newline', 'ana\n'],
  ])('rejects %s', (_label, value) => {
    expect(isSafeBaggageValue(value)).toBe(false);
  });
});

describe('readAllowedBaggage', () => {
  it('returns only correlation.id and user.id', () => {
    const ctx = withEntries({
      'correlation.id': 'c-1',
      'user.id': 'ana',
      secret: '1',
      'session.token': 'abc',
    });

    expect(readAllowedBaggage(ctx)).toEqual({ 'correlation.id': 'c-1', 'user.id': 'ana' });
  });

  it.each([
    ['with spaces', 'ana lopez'],
    ['with markup', '<script>'],
    ['of 200 characters', 'x'.repeat(200)],
  ])('drops a value %s', (_label, value) => {
    expect(readAllowedBaggage(withEntries({ 'correlation.id': 'c-1', 'user.id': value }))).toEqual({
      'correlation.id': 'c-1',
    });
  });

  it('returns nothing for a context without baggage', () => {
    expect(readAllowedBaggage(ROOT_CONTEXT)).toEqual({});
  });

  it('reads what a W3C baggage header carried, and nothing else', () => {
    const ctx = propagation.extract(ROOT_CONTEXT, {
      baggage: 'correlation.id=c-9,user.id=ana,secret=1,tenant=acme',
    });

    expect(readAllowedBaggage(ctx)).toEqual({ 'correlation.id': 'c-9', 'user.id': 'ana' });
  });
});

describe('withBaggage', () => {
  it('adds the entries to the active baggage for the callback only', () => {
    const inside = withBaggage({ 'correlation.id': 'c-1', 'user.id': 'ana' }, activeEntries);

    expect(inside).toEqual({ 'correlation.id': 'c-1', 'user.id': 'ana' });
    expect(propagation.getActiveBaggage()).toBeUndefined();
  });

  it('returns what the callback returns, including a promise', async () => {
    await expect(withBaggage({ 'user.id': 'ana' }, async () => activeEntries())).resolves.toEqual({
      'user.id': 'ana',
    });
  });

  it('skips undefined and unsafe values', () => {
    const inside = withBaggage(
      { 'correlation.id': 'c-1', 'user.id': undefined, note: 'hello world', tag: '<b>' },
      activeEntries,
    );

    expect(inside).toEqual({ 'correlation.id': 'c-1' });
  });

  it('passes on only the allowed entries that came in, and leaves the outer baggage unchanged', () => {
    const outer = withEntries({ 'correlation.id': 'upstream-7', tenant: 'acme' });

    context.with(outer, () => {
      const inside = withBaggage({ 'user.id': 'ana', 'correlation.id': undefined }, activeEntries);

      expect(inside).toEqual({ 'correlation.id': 'upstream-7', 'user.id': 'ana' });
      expect(activeEntries()).toEqual({ 'correlation.id': 'upstream-7', tenant: 'acme' });
    });
  });

  it('passes on agent.content_capture only as off: a caller can turn capture off, never on', () => {
    const carrier: Record<string, string> = {};
    context.with(withEntries({ 'agent.content_capture': 'off' }), () =>
      withBaggage({}, () => propagation.inject(context.active(), carrier)),
    );
    expect(carrier.baggage).toBe('agent.content_capture=off');

    expect(readAllowedBaggage(withEntries({ 'agent.content_capture': 'on' }))).toEqual({});
    expect(withBaggage({ 'agent.content_capture': 'on' }, activeEntries)).toEqual({});
  });

  it('puts the entries on the wire of calls made inside it', () => {
    const carrier: Record<string, string> = {};
    withBaggage({ 'correlation.id': 'c-1', 'user.id': 'ana' }, () =>
      propagation.inject(context.active(), carrier),
    );

    expect(carrier.baggage?.split(',').sort()).toEqual(['correlation.id=c-1', 'user.id=ana']);
  });
});

describe('EnrichingSpanProcessor', () => {
  it('copies the allowed baggage and process metadata onto a span started inside withBaggage', () => {
    withBaggage({ 'correlation.id': 'c-1', 'user.id': 'ana' }, () =>
      tracer.startSpan('agent.task').end(),
    );

    const [span] = tracing.spans();
    expect(span?.attributes).toEqual({
      'correlation.id': 'c-1',
      'user.id': 'ana',
      'host.name': hostname(),
      'process.pid': process.pid,
      'service.version': '9.9.9',
    });
    expect(typeof span?.attributes['process.pid']).toBe('number');
  });

  it('enriches child spans too, from the baggage of their parent context', () => {
    withBaggage({ 'correlation.id': 'c-2' }, () =>
      tracer.startActiveSpan('agent.task', (parent) => {
        tracer.startSpan('tool.calculator').end();
        parent.end();
      }),
    );

    const child = tracing.spans().find((span) => span.name === 'tool.calculator');
    expect(child?.attributes['correlation.id']).toBe('c-2');
    expect(child?.attributes).not.toHaveProperty(['user.id']);
  });

  it('copies neither unknown keys nor malformed values from hostile baggage', () => {
    const hostile = withEntries({ secret: '1', 'user.id': '<script>' });

    const span = spanIn(hostile);
    expect(span.attributes).not.toHaveProperty('secret');
    expect(span.attributes).not.toHaveProperty(['user.id']);
    expect(span.attributes).toEqual({
      'host.name': hostname(),
      'process.pid': process.pid,
      'service.version': '9.9.9',
    });
  });

  it('keeps the content capture decision off the spans: it travels, it is not an attribute', () => {
    const span = spanIn(withEntries({ 'agent.content_capture': 'off', 'correlation.id': 'c-4' }));
    expect(span.attributes['correlation.id']).toBe('c-4');
    expect(span.attributes).not.toHaveProperty(['agent.content_capture']);
  });

  it("reads a request's baggage once for all the spans that share it", () => {
    const request = withEntries({ 'correlation.id': 'c-5', 'user.id': 'ana' });
    const getEntry = jest.spyOn(propagation.getBaggage(request)!, 'getEntry');

    const spans = ['POST /api/v1/agent/execute', 'agent.task', 'llm.generate'].map((name) =>
      spanIn(request, name),
    );

    for (const span of spans) {
      expect(span.attributes).toMatchObject({ 'correlation.id': 'c-5', 'user.id': 'ana' });
    }
    // Once per copied key, for the first span only.
    expect(getEntry).toHaveBeenCalledTimes(2);
  });

  it('gives a span under a changed baggage the new entries, and its parent still the old ones', () => {
    const outer = withEntries({ 'correlation.id': 'c-6' });
    const inner = withEntries({ 'correlation.id': 'c-6', 'user.id': 'bo' }, outer);

    expect(spanIn(outer, 'before').attributes).not.toHaveProperty(['user.id']);
    expect(spanIn(inner, 'inner').attributes).toMatchObject({
      'correlation.id': 'c-6',
      'user.id': 'bo',
    });
    expect(spanIn(outer, 'after').attributes).not.toHaveProperty(['user.id']);
  });

  it('ignores hostile entries that arrive in a baggage header', () => {
    const extracted = propagation.extract(ROOT_CONTEXT, {
      baggage: 'secret=1,user.id=%3Cscript%3E,correlation.id=c-3',
    });

    const span = spanIn(extracted, 'POST /api/v1/execute');
    expect(span.attributes['correlation.id']).toBe('c-3');
    expect(span.attributes).not.toHaveProperty('secret');
    expect(span.attributes).not.toHaveProperty(['user.id']);
  });
});

describe('processAttributes', () => {
  it('names the host, the process id and the service version', () => {
    expect(processAttributes('1.2.3')).toEqual({
      'host.name': hostname(),
      'process.pid': process.pid,
      'service.version': '1.2.3',
    });
  });
});
