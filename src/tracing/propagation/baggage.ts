import { context, propagation, type Baggage, type Context } from '@opentelemetry/api';
import { ATTR_CORRELATION_ID, ATTR_USER_ID } from '../semconv';

/**
 * The baggage keys we put on outgoing calls (and, but for the capture decision, copy onto spans).
 * Baggage arrives from outside (any client can send a `baggage` header), so only these keys are
 * read, and only values that look like identifiers (or `off`): an allow-list keeps a caller from
 * stuffing arbitrary, huge or personal data into every span of every service downstream.
 */
export const BAGGAGE_CORRELATION_ID = ATTR_CORRELATION_ID;
export const BAGGAGE_USER_ID = ATTR_USER_ID;
/**
 * `off` when a service upstream records no message content: a service downstream then records
 * none either, whatever its own setting. The only value is `off`, so a caller can make capture
 * stricter for its own requests, never turn it on.
 */
export const BAGGAGE_CONTENT_CAPTURE = 'agent.content_capture';
export const CONTENT_CAPTURE_OFF = 'off';

/** The entries copied onto every span. */
export const SPAN_BAGGAGE_KEYS: readonly string[] = [BAGGAGE_CORRELATION_ID, BAGGAGE_USER_ID];
const ALLOWED_BAGGAGE_KEYS: readonly string[] = [...SPAN_BAGGAGE_KEYS, BAGGAGE_CONTENT_CAPTURE];

const SAFE_VALUE = /^[\w.:@-]{1,128}$/;

export function isSafeBaggageValue(value: string): boolean {
  return SAFE_VALUE.test(value);
}

function isAllowedValue(key: string, value: string): boolean {
  return key === BAGGAGE_CONTENT_CAPTURE
    ? value === CONTENT_CAPTURE_OFF
    : isSafeBaggageValue(value);
}

/**
 * The allowed, well-formed entries of the baggage in `ctx` (of `keys`, by default all allowed
 * ones).
 */
export function readAllowedBaggage(
  ctx: Context,
  keys: readonly string[] = ALLOWED_BAGGAGE_KEYS,
): Record<string, string> {
  const baggage = propagation.getBaggage(ctx);
  return baggage ? allowedEntries(baggage, keys) : {};
}

/** The allowed, well-formed entries of `baggage` (of `keys`). */
export function allowedEntries(baggage: Baggage, keys: readonly string[]): Record<string, string> {
  const allowed: Record<string, string> = {};
  for (const key of keys) {
    const value = baggage.getEntry(key)?.value;
    if (value !== undefined && isAllowedValue(key, value)) allowed[key] = value;
  }
  return allowed;
}

/** Whether a service upstream said it records no content for this request. */
export function isContentCaptureOffUpstream(ctx: Context): boolean {
  return (
    readAllowedBaggage(ctx, [BAGGAGE_CONTENT_CAPTURE])[BAGGAGE_CONTENT_CAPTURE] ===
    CONTENT_CAPTURE_OFF
  );
}

/**
 * Runs `work` with a baggage made of the allowed entries that came in and these ones, so outgoing
 * calls carry them. Anything else a caller put in its baggage stops here: it is not passed on.
 */
export function withBaggage<T>(entries: Record<string, string | undefined>, work: () => T): T {
  const inbound = readAllowedBaggage(context.active());
  let baggage = propagation.createBaggage(
    Object.fromEntries(Object.entries(inbound).map(([key, value]) => [key, { value }])),
  );
  for (const [key, value] of Object.entries(entries)) {
    if (value !== undefined && isAllowedValue(key, value))
      baggage = baggage.setEntry(key, { value });
  }
  return context.with(propagation.setBaggage(context.active(), baggage), work);
}
