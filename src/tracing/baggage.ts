import { context, propagation, type Context } from '@opentelemetry/api';

/**
 * The baggage keys we put on outgoing calls and copy onto spans. Baggage arrives from outside
 * (any client can send a `baggage` header), so only these keys are read, and only values that
 * look like identifiers: an allow-list keeps a caller from stuffing arbitrary, huge or personal
 * data into every span of every service downstream.
 */
export const BAGGAGE_CORRELATION_ID = 'correlation.id';
export const BAGGAGE_USER_ID = 'user.id';
export const ALLOWED_BAGGAGE_KEYS: readonly string[] = [BAGGAGE_CORRELATION_ID, BAGGAGE_USER_ID];

const SAFE_VALUE = /^[\w.:@-]{1,128}$/;

export function isSafeBaggageValue(value: string): boolean {
  return SAFE_VALUE.test(value);
}

/** The allowed, well-formed entries of the baggage in `ctx`. */
export function readAllowedBaggage(ctx: Context): Record<string, string> {
  const baggage = propagation.getBaggage(ctx);
  const allowed: Record<string, string> = {};
  if (!baggage) return allowed;
  for (const key of ALLOWED_BAGGAGE_KEYS) {
    const value = baggage.getEntry(key)?.value;
    if (value !== undefined && isSafeBaggageValue(value)) allowed[key] = value;
  }
  return allowed;
}

/**
 * Runs `work` with a baggage made of the allowed entries that came in and these ones, so outgoing
 * calls carry them. Anything else a caller put in its baggage stops here: it is not passed on.
 */
export function withBaggage<T>(entries: Record<string, string | undefined>, work: () => T): T {
  const inbound = readAllowedBaggage(context.active());
  let baggage = propagation.createBaggage(Object.fromEntries(Object.entries(inbound).map(([key, value]) => [key, { value }])));
  for (const [key, value] of Object.entries(entries)) {
    if (value !== undefined && isSafeBaggageValue(value)) baggage = baggage.setEntry(key, { value });
  }
  return context.with(propagation.setBaggage(context.active(), baggage), work);
}
