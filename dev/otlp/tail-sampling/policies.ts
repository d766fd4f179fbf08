import type { ReceivedSpan } from '../decode';

/**
 * The tail-sampling policies of the OpenTelemetry Collector's `tail_sampling` processor that the
 * workshop uses, evaluated as the collector evaluates them (contrib's
 * processor/tailsamplingprocessor/internal/sampling: status_code.go, latency.go, probabilistic.go),
 * on every span of a trace once its decision wait is over.
 */
export type PolicyConfig =
  | { name: string; type: 'status_code'; statusCodes: readonly ('OK' | 'ERROR' | 'UNSET')[] }
  | { name: string; type: 'latency'; thresholdMs: number; upperThresholdMs: number }
  | { name: string; type: 'probabilistic'; samplingPercentage: number; hashSalt: string };

/** Whether a policy keeps the trace whose spans (all of them received so far) are given. */
export type Policy = (traceId: string, spans: readonly ReceivedSpan[]) => boolean;

/** The collector's salt when the configuration gives none. */
export const DEFAULT_HASH_SALT = 'default-hash-seed';

const FNV_OFFSET_BASIS = 0xcbf29ce484222325n;
const FNV_PRIME = 0x100000001b3n;
const UINT64 = (1n << 64n) - 1n;

/** FNV-1a, 64 bits, over `bytes`: the collector hashes its salt, then the trace id's 16 bytes. */
export function fnv1a64(bytes: Uint8Array, hash = FNV_OFFSET_BASIS): bigint {
  let result = hash;
  for (const byte of bytes) result = ((result ^ BigInt(byte)) * FNV_PRIME) & UINT64;
  return result;
}

/** A finite float64 as the exact fraction `mantissa × 2^exponent`. */
function exactFloat(value: number): { mantissa: bigint; exponent: number } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, value);
  const bits = view.getBigUint64(0);
  const biased = Number((bits >> 52n) & 0x7ffn);
  const fraction = bits & ((1n << 52n) - 1n);
  return biased === 0
    ? { mantissa: fraction, exponent: -1074 }
    : { mantissa: fraction | (1n << 52n), exponent: biased - 1075 };
}

/** Rounds to 64 significant bits, to nearest, ties to even: a Go big.Float of precision 64. */
function roundTo64Bits(value: bigint): bigint {
  const shift = value.toString(2).length - 64;
  if (shift <= 0) return value;
  const kept = value >> BigInt(shift);
  const rest = value - (kept << BigInt(shift));
  const half = 1n << BigInt(shift - 1);
  const up = rest > half || (rest === half && (kept & 1n) === 1n);
  return (up ? kept + 1n : kept) << BigInt(shift);
}

/**
 * The largest hash kept for a percentage, exactly as the collector computes it: (2⁶⁴ − 1) × ratio
 * in a 64-bit big.Float, truncated to an integer.
 */
export function probabilisticThreshold(samplingPercentage: number): bigint {
  const ratio = samplingPercentage / 100;
  if (ratio <= 0) return 0n;
  const { mantissa, exponent } = exactFloat(ratio);
  const product = roundTo64Bits(UINT64 * mantissa);
  const threshold = exponent >= 0 ? product << BigInt(exponent) : product >> BigInt(-exponent);
  return threshold > UINT64 ? UINT64 : threshold;
}

const hexToBytes = (hex: string) => Uint8Array.from(Buffer.from(hex, 'hex'));

/** The whole trace's duration: its earliest start to its latest end, in whole milliseconds. */
function traceDurationMs(spans: readonly ReceivedSpan[]): number {
  let start = spans[0]!.startTimeUnixNano;
  let end = spans[0]!.endTimeUnixNano;
  for (const span of spans) {
    if (span.startTimeUnixNano < start) start = span.startTimeUnixNano;
    if (span.endTimeUnixNano > end) end = span.endTimeUnixNano;
  }
  // Go's Duration.Milliseconds() truncates toward zero, as this integer division does.
  return Number((end - start) / 1_000_000n);
}

export function createPolicy(config: PolicyConfig): Policy {
  switch (config.type) {
    case 'status_code':
      return (_traceId, spans) =>
        spans.some((span) => config.statusCodes.includes(span.status.code));
    case 'latency':
      return (_traceId, spans) => {
        if (!spans.length) return false;
        const duration = traceDurationMs(spans);
        return config.upperThresholdMs === 0
          ? duration >= config.thresholdMs
          : duration > config.thresholdMs && duration <= config.upperThresholdMs;
      };
    case 'probabilistic': {
      const threshold = probabilisticThreshold(config.samplingPercentage);
      const salted = fnv1a64(new TextEncoder().encode(config.hashSalt));
      return (traceId) => fnv1a64(hexToBytes(traceId), salted) <= threshold;
    }
  }
}
