import {
  defaultTextMapGetter,
  propagation,
  ROOT_CONTEXT,
  trace,
  TraceFlags,
  type Context,
  type TextMapPropagator,
} from '@opentelemetry/api';
import {
  AlwaysOnSampler,
  TracerProvider,
  ParentBasedSampler,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace';
import { linkUntrustedParent, type IsTrustedCaller } from './caller-trust';
import { createPropagator } from './propagators';

const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';
const SPAN_ID = 'b7ad6b7169203331';
const INTERNAL_KEY = 'internal-key';
const isTrustedCaller: IsTrustedCaller = (header) => header('x-api-key') === INTERNAL_KEY;
const propagator = createPropagator(undefined, isTrustedCaller);

const extract = (from: TextMapPropagator, headers: Record<string, string>) =>
  from.extract(ROOT_CONTEXT, headers, defaultTextMapGetter);
const withCallerContext = (flags = '01', extra: Record<string, string> = {}) => ({
  traceparent: `00-${TRACE_ID}-${SPAN_ID}-${flags}`,
  baggage: 'user.id=mallory',
  ...extra,
});

/**
 * What the http instrumentation does: start the server span from the extracted context, then call
 * its hook.
 */
function serverSpanFrom(context: Context) {
  const tracer = new TracerProvider({
    sampler: new ParentBasedSampler({ root: new AlwaysOnSampler() }),
  }).getTracer('test');
  const span = tracer.startSpan('POST /api/v1/agent/execute', {}, context);
  linkUntrustedParent(span, context);
  return { span, links: (span as unknown as ReadableSpan).links.map((link) => link.context) };
}

describe('trust in incoming trace context', () => {
  it('continues the context and baggage of a caller with an internal key', () => {
    const context = extract(propagator, withCallerContext('01', { 'x-api-key': INTERNAL_KEY }));
    expect(trace.getSpanContext(context)).toMatchObject({ traceId: TRACE_ID, spanId: SPAN_ID });
    expect(propagation.getBaggage(context)?.getEntry('user.id')?.value).toBe('mallory');
    expect(serverSpanFrom(context).links).toEqual([]);
  });

  it('starts a new trace for an untrusted caller, linked to the context it sent', () => {
    const context = extract(
      propagator,
      withCallerContext('01', { 'x-api-key': 'some-public-key' }),
    );
    expect(trace.getSpanContext(context)).toBeUndefined();
    const { span, links } = serverSpanFrom(context);
    expect(span.spanContext().traceId).not.toBe(TRACE_ID);
    expect(links).toEqual([expect.objectContaining({ traceId: TRACE_ID, spanId: SPAN_ID })]);
  });

  it("ignores an untrusted caller's baggage entirely", () => {
    expect(propagation.getBaggage(extract(propagator, withCallerContext()))).toBeUndefined();
  });

  it.each([
    ['traceparent …-00', withCallerContext('00')],
    ['X-B3-Sampled: 0', { 'x-b3-traceid': TRACE_ID, 'x-b3-spanid': SPAN_ID, 'x-b3-sampled': '0' }],
    ['b3: 0', { b3: '0' }],
  ])('lets the sampler decide when an untrusted caller sends %s', (_case, headers) => {
    const { span } = serverSpanFrom(extract(propagator, headers));
    expect(span.isRecording()).toBe(true);
    expect(span.spanContext().traceFlags).toBe(TraceFlags.SAMPLED);
  });

  it("links nothing for a deny without ids: its stand-in parent is no caller's span", () => {
    expect(serverSpanFrom(extract(propagator, { b3: '0' })).links).toEqual([]);
  });

  it('continues every caller without a trust check (TRACE_CONTEXT_TRUST=all)', () => {
    const context = extract(createPropagator(), withCallerContext('00'));
    expect(trace.getSpanContext(context)).toMatchObject({
      traceId: TRACE_ID,
      traceFlags: TraceFlags.NONE,
    });
    expect(propagation.getBaggage(context)?.getEntry('user.id')?.value).toBe('mallory');
  });
});
