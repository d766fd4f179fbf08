/**
 * Google's error details carry `{"@type": ".../google.rpc.RetryInfo", "retryDelay": "13s"}` on
 * 429s.
 */
export function retryDelayFromDetails(details: unknown): number | undefined {
  if (!Array.isArray(details)) return undefined;
  for (const detail of details) {
    const { '@type': type, retryDelay } = (detail ?? {}) as {
      '@type'?: unknown;
      retryDelay?: unknown;
    };
    if (
      typeof type === 'string' &&
      type.endsWith('google.rpc.RetryInfo') &&
      typeof retryDelay === 'string'
    ) {
      const seconds = Number.parseFloat(retryDelay);
      if (Number.isFinite(seconds) && seconds >= 0) return seconds;
    }
  }
  return undefined;
}
