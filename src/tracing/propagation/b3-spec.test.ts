import {
  createContextKey,
  defaultTextMapGetter,
  defaultTextMapSetter,
  ROOT_CONTEXT,
  trace,
  TraceFlags,
} from '@opentelemetry/api';
import { B3InjectEncoding, B3Propagator } from '@opentelemetry/propagator-b3';
import { B3SpecPropagator, isDenyPlaceholder } from './b3-spec';
import { createPropagator } from './propagators';

const TRACE_ID = '80f198ee56343ba864fe8b2a57d3eff7';
const SPAN_ID = 'e457b5a2e4d86bd1';
const multi = new B3SpecPropagator(B3InjectEncoding.MULTI_HEADER);
const single = new B3SpecPropagator(B3InjectEncoding.SINGLE_HEADER);

const extract = (propagator: { extract: typeof multi.extract }, headers: Record<string, string>) =>
  propagator.extract(ROOT_CONTEXT, headers, defaultTextMapGetter);

function injected(
  propagator: B3SpecPropagator,
  incoming: Record<string, string>,
): Record<string, string> {
  const headers: Record<string, string> = {};
  propagator.inject(extract(propagator, incoming), headers, defaultTextMapSetter);
  return headers;
}

describe('B3 as its specification says', () => {
  it.each([
    ['b3: 0', { b3: '0' }],
    ['X-B3-Sampled: 0 alone', { 'x-b3-sampled': '0' }],
  ])('honours a deny sent without ids (%s): a new trace id, not sampled', (_case, headers) => {
    const context = extract(createPropagator(), headers);
    const parent = trace.getSpanContext(context)!;
    expect(parent.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(parent.traceFlags).toBe(TraceFlags.NONE);
    expect(isDenyPlaceholder(context)).toBe(true);
  });

  it('sends a deny on downstream with the new ids', () => {
    expect(injected(multi, { b3: '0' })).toEqual({
      'x-b3-traceid': expect.stringMatching(/^[0-9a-f]{32}$/),
      'x-b3-spanid': expect.stringMatching(/^[0-9a-f]{16}$/),
      'x-b3-sampled': '0',
    });
  });

  it('continues ids with their decision, and is no deny placeholder', () => {
    const context = extract(multi, { b3: `${TRACE_ID}-${SPAN_ID}-1` });
    expect(trace.getSpanContext(context)).toMatchObject({
      traceId: TRACE_ID,
      spanId: SPAN_ID,
      traceFlags: TraceFlags.SAMPLED,
    });
    expect(isDenyPlaceholder(context)).toBe(false);
    expect(isDenyPlaceholder(ROOT_CONTEXT)).toBe(false);
  });

  it('passes the debug flag of a single header (d) on as X-B3-Flags: 1, without X-B3-Sampled', () => {
    expect(
      trace.getSpanContext(extract(multi, { b3: `${TRACE_ID}-${SPAN_ID}-d` }))?.traceFlags,
    ).toBe(TraceFlags.SAMPLED);
    expect(injected(multi, { b3: `${TRACE_ID}-${SPAN_ID}-d` })).toEqual({
      'x-b3-traceid': TRACE_ID,
      'x-b3-spanid': SPAN_ID,
      'x-b3-flags': '1',
    });
  });

  it('passes X-B3-Flags: 1 on as d in a single header', () => {
    expect(
      injected(single, { 'x-b3-traceid': TRACE_ID, 'x-b3-spanid': SPAN_ID, 'x-b3-flags': '1' }),
    ).toEqual({
      b3: `${TRACE_ID}-${SPAN_ID}-d`,
    });
  });

  it('finds the debug flag where @opentelemetry/propagator-b3 keeps it', () => {
    const context = new B3Propagator().extract(
      ROOT_CONTEXT,
      { b3: `${TRACE_ID}-${SPAN_ID}-d` },
      defaultTextMapGetter,
    );
    expect(context.getValue(createContextKey('OpenTelemetry Context Key B3 Debug Flag'))).toBe('d');
  });
});
