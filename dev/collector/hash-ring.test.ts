import { HashRing, itemAt, positionsFor, ringItems } from './hash-ring';

/**
 * The expectations are contrib's own (exporter/loadbalancingexporter/consistent_hashing_test.go),
 * computed by the Go code this file ports: the same inputs must give the same ring and backends.
 */
describe('the loadbalancing exporter’s hash ring', () => {
  it('places endpoints at the positions the collector computes', () => {
    expect(ringItems(['endpoint-1'], 5)).toEqual(
      [1401, 4175, 14133, 17836, 21667].map((position) => ({ position, endpoint: 'endpoint-1' })),
    );
    expect(ringItems(['endpoint-1', 'endpoint-1'], 5)).toEqual(ringItems(['endpoint-1'], 5));
    expect(ringItems(['endpoint-1', 'endpoint-2'], 5).map(({ position }) => position)).toEqual([
      1401, 4175, 10240, 14133, 15002, 17836, 21263, 21667, 26806, 27020,
    ]);
    expect(positionsFor('host1', 10)).toHaveLength(10);
  });

  it('finds the next position round the ring, as the collector’s binary search does', () => {
    const items = [14, 25, 33, 47, 56, 121, 134, 158, 240, 270, 350].map((position) => ({
      position,
    }));
    expect([85, 14, 351, 270, 271].map((requested) => itemAt(items, requested).position)).toEqual([
      121, 14, 14, 270, 350,
    ]);
  });

  it('sends the same identifiers to the same endpoints as the collector', () => {
    const ring = new HashRing(['endpoint-1', 'endpoint-2']);
    expect(ring.endpointFor(Uint8Array.from([1, 2, 0, 0]))).toBe('endpoint-1');
    expect(ring.endpointFor(Uint8Array.from([128, 128, 0, 0]))).toBe('endpoint-2');
    expect(ring.endpointFor(Buffer.from('ad-service-7'))).toBe('endpoint-1');
    expect(ring.endpointFor(Buffer.from('get-recommendations-1'))).toBe('endpoint-2');
  });

  it('spreads trace ids over every endpoint', () => {
    const ring = new HashRing(['10.0.0.1:4317', '10.0.0.2:4317', '10.0.0.3:4317']);
    const counts = new Map<string, number>();
    for (let index = 0; index < 3000; index += 1) {
      const traceId = index.toString(16).padStart(32, '0');
      const endpoint = ring.endpointForTrace(traceId);
      counts.set(endpoint, (counts.get(endpoint) ?? 0) + 1);
    }
    expect([...counts.keys()].sort()).toEqual(['10.0.0.1:4317', '10.0.0.2:4317', '10.0.0.3:4317']);
    for (const count of counts.values()) expect(count).toBeGreaterThan(500);
  });
});
