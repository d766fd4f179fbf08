import { crc32 } from 'node:zlib';

/**
 * The OpenTelemetry Collector's `loadbalancing` exporter's choice of backend, ported from contrib's
 * exporter/loadbalancingexporter/consistent_hashing.go: a ring of 36,000 positions; each backend
 * (an `address:port` string, as its resolver lists them) takes the positions
 * crc32(endpoint + byte(i)) % 36000 for i in 0..99, a position taken already staying with the
 * first; a trace goes to the first backend at or after crc32(its 16-byte trace id) % 36000, round
 * the ring. Every front-tier collector that resolves the same list builds the same ring, so a trace
 * lands on one tail-tier collector whichever front one received its spans.
 */
const MAX_POSITIONS = 36_000;
const DEFAULT_WEIGHT = 100;

interface RingItem {
  position: number;
  endpoint: string;
}

/** The positions of one endpoint (`positionsFor`). */
export function positionsFor(endpoint: string, points: number): number[] {
  const name = Buffer.from(endpoint);
  return Array.from(
    { length: points },
    (_, index) => crc32(Buffer.concat([name, Buffer.from([index & 0xff])])) % MAX_POSITIONS,
  );
}

/** Every endpoint's positions, a taken one skipped, sorted (`positionsForEndpoints`). */
export function ringItems(endpoints: readonly string[], weight = DEFAULT_WEIGHT): RingItem[] {
  const taken = new Set<number>();
  const items: RingItem[] = [];
  for (const endpoint of endpoints)
    for (const position of positionsFor(endpoint, weight)) {
      if (taken.has(position)) continue;
      taken.add(position);
      items.push({ position, endpoint });
    }
  return items.sort((a, b) => a.position - b.position);
}

/** The item at or after `position`, wrapping round (the result of contrib's `bsearch`). */
export function itemAt<T extends { position: number }>(items: readonly T[], position: number): T {
  let low = 0;
  let high = items.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (items[middle]!.position < position) low = middle + 1;
    else high = middle;
  }
  return items[low === items.length ? 0 : low]!;
}

export class HashRing {
  private readonly items: RingItem[];

  constructor(endpoints: readonly string[]) {
    if (!endpoints.length) throw new Error('A hash ring needs at least one endpoint');
    this.items = ringItems(endpoints);
  }

  /** The endpoint for these bytes: a trace id's 16 bytes (`routing_key: traceID`). */
  endpointFor(identifier: Uint8Array): string {
    return itemAt(this.items, crc32(identifier) % MAX_POSITIONS).endpoint;
  }

  /** The endpoint for a trace id written in hex, as OTLP decoders and Jaeger show it. */
  endpointForTrace(traceIdHex: string): string {
    return this.endpointFor(Buffer.from(traceIdHex, 'hex'));
  }
}
