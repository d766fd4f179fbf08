import type { DecodedExportTraceRequest, DecodedSpan } from '../otlp/decode';
import { routingRing, splitByBackend } from './front-tier';
import { HashRing } from './hash-ring';

const span = (traceByte: number, spanByte: number) =>
  ({
    traceId: Buffer.alloc(16, traceByte),
    spanId: Buffer.alloc(8, spanByte),
    name: `span ${spanByte}`,
  }) as unknown as DecodedSpan;

describe('the front tier’s split of an export', () => {
  it('sends every span of a trace to the backend its id hashes to, with its resource and scope', () => {
    const ring = new HashRing(['127.0.0.1:1', '127.0.0.1:2', '127.0.0.1:3']);
    const resource = { attributes: [{ key: 'service.name', value: { stringValue: 'agent' } }] };
    const request: DecodedExportTraceRequest = {
      resourceSpans: [
        {
          resource,
          scopeSpans: [
            { scope: { name: 'http' }, spans: [span(1, 1), span(2, 2), span(3, 3)] },
            { scope: { name: 'agent' }, spans: [span(1, 4), span(4, 5)] },
          ],
        },
      ],
    };
    const parts = splitByBackend(request, ring);
    const where = new Map<string, string>();
    let count = 0;
    for (const [backend, part] of parts)
      for (const resourceSpans of part.resourceSpans!) {
        expect(resourceSpans.resource).toBe(resource);
        for (const scopeSpans of resourceSpans.scopeSpans!)
          for (const { traceId, name } of scopeSpans.spans!) {
            count += 1;
            expect(ring.endpointFor(traceId)).toBe(backend);
            const hex = Buffer.from(traceId).toString('hex');
            expect(where.get(hex) ?? backend).toBe(backend);
            where.set(hex, backend);
            expect(['span 1', 'span 2', 'span 3'].includes(name)).toBe(
              scopeSpans.scope!.name === 'http',
            );
          }
      }
    expect(count).toBe(5);
  });
});

describe('the ring a front pod routes by', () => {
  // Two loopback ports whose rings, built in the order listed, disagree on some traces.
  const backends = ['127.0.0.1:40014', '127.0.0.1:40013'];
  const traceIds = Array.from({ length: 256 }, (_, byte) => Buffer.alloc(16, byte).toString('hex'));
  const routes = (ring: HashRing) => traceIds.map((traceId) => ring.endpointForTrace(traceId));

  it('depends on the order of the list when built as listed (why the resolver sorts)', () => {
    expect(routes(new HashRing(backends))).not.toEqual(
      routes(new HashRing([...backends].reverse())),
    );
  });

  it('sends each trace to the same backend whatever order its backends are listed in', () => {
    expect(routes(routingRing(backends))).toEqual(routes(routingRing([...backends].reverse())));
  });
});
