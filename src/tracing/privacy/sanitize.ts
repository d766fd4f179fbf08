import type { AttributeValue, Attributes } from '@opentelemetry/api';
import { LIMITS } from '../../limits';

export const REDACTED = '[REDACTED]';
/** The default of OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT in src/config.ts too. */
export const DEFAULT_MAX_ATTRIBUTE_LENGTH: number = LIMITS.maxAttributeLength;

/**
 * Keys are compared without case or punctuation, so `api_key`, `apiKey`, `X-Goog-Api-Key` and
 * `x-goog-api-key` all match `apikey`. A trailing `token` is secret (`csrf_token`, `accessToken`)
 * but `tokens` is not: `gen_ai.usage.input_tokens` is a count, not a credential.
 */
const SECRET_KEY_PATTERN =
  /password|passwd|passphrase|secret|apikey|authorization|authentication|cookie|credential|privatekey|bearer|signature|token$|^auth$/;

/**
 * Attribute keys are few and repeat on every span: the answer is computed once per key (bounded,
 * for keys that come from input).
 */
const secretKeyCache = new Map<string, boolean>();
const MAX_CACHED_KEYS = 2_000;

export function isSecretKey(key: string): boolean {
  const cached = secretKeyCache.get(key);
  if (cached !== undefined) return cached;
  const secret = SECRET_KEY_PATTERN.test(key.toLowerCase().replace(/[^a-z0-9]/g, ''));
  if (secretKeyCache.size < MAX_CACHED_KEYS) secretKeyCache.set(key, secret);
  return secret;
}

const truncationMarker = (omitted: number) => `…[truncated ${omitted} chars]`;

/**
 * At most `maxLength` characters, the marker included, so that the SDK's own limit
 * (OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT) never cuts the marker off. Too small a limit for a marker
 * gets a plain cut.
 */
export function truncate(text: string, maxLength: number): string {
  if (text.length <= maxLength) return text;
  // The marker for the whole length is at least as long as the one for the part really cut.
  const keep = maxLength - truncationMarker(text.length).length;
  if (keep <= 0) return text.slice(0, maxLength);
  return `${text.slice(0, keep)}${truncationMarker(text.length - keep)}`;
}

const MAX_DEPTH = 8;

export interface RedactOptions {
  /** Applied to every string in the value, e.g. `redactText` for captured content. */
  redactString?: (text: string) => string;
}

/**
 * A deep copy that is always safe to serialize: secret-looking keys redacted, cycles, functions,
 * symbols and bigints made printable, depth bounded. Never throws.
 */
export function redactSecrets(value: unknown, options: RedactOptions = {}): unknown {
  return copySafely(value, options.redactString, 0, new WeakSet<object>());
}

function copySafely(
  value: unknown,
  redactString: ((text: string) => string) | undefined,
  depth: number,
  seen: WeakSet<object>,
): unknown {
  if (typeof value === 'string') return redactString ? redactString(value) : value;
  if (value === null || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'undefined') return null;
  if (typeof value === 'function' || typeof value === 'symbol') return `[${typeof value}]`;
  if (typeof value !== 'object') return String(value);
  if (seen.has(value)) return '[Circular]';
  if (depth >= MAX_DEPTH) return '[Object]';
  seen.add(value);
  const copy = (item: unknown) => copySafely(item, redactString, depth + 1, seen);
  try {
    if (value instanceof Error) return { name: value.name, message: copy(value.message) };
    if (value instanceof Date) return value.toISOString();
    if (Array.isArray(value)) return value.map(copy);
    // No prototype: a key such as `__proto__` (from model output) is then just a key.
    const result: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
    for (const [key, item] of Object.entries(value))
      result[key] = isSecretKey(key) ? REDACTED : copy(item);
    return result;
  } finally {
    seen.delete(value);
  }
}

/** What the HTTP semantic conventions put in place of a redacted query value. */
const URL_REDACTED = 'REDACTED';

function decodedName(name: string): string {
  try {
    return decodeURIComponent(name.replace(/\+/g, ' '));
  } catch {
    return name;
  }
}

/**
 * `q=tracing&api_key=k` becomes `q=tracing&api_key=REDACTED`: the values of secret-looking
 * parameters go.
 */
export function redactQuery(query: string): string {
  if (!query.includes('=')) return query;
  return query
    .split('&')
    .map((pair) => {
      const equals = pair.indexOf('=');
      return equals > 0 && isSecretKey(decodedName(pair.slice(0, equals)))
        ? `${pair.slice(0, equals)}=${URL_REDACTED}`
        : pair;
    })
    .join('&');
}

/**
 * A URL or a request target (`/path?query#fragment`) with its query redacted; the rest as it was.
 */
export function redactUrl(url: string): string {
  const start = url.indexOf('?');
  if (start === -1) return url;
  const end = url.indexOf('#', start);
  const query = end === -1 ? url.slice(start + 1) : url.slice(start + 1, end);
  return `${url.slice(0, start + 1)}${redactQuery(query)}${end === -1 ? '' : url.slice(end)}`;
}

/** JSON for an attribute or a log line: redacted, truncated, and never a thrown error. */
export function safeJson(value: unknown, maxLength = DEFAULT_MAX_ATTRIBUTE_LENGTH): string {
  try {
    return truncate(JSON.stringify(redactSecrets(value)) ?? 'null', maxLength);
  } catch {
    return '[unserializable]';
  }
}

/** Exporters accept only homogeneous arrays: the SDK drops `['a', 1]` with a warning. */
function isPrimitiveArray(value: unknown[]): value is (string | number | boolean)[] {
  const type = typeof value[0];
  return value.every(
    (item) => typeof item === type && ['string', 'number', 'boolean'].includes(typeof item),
  );
}

/**
 * Turns any value into an attribute value an exporter accepts. The one place where attribute
 * values are sanitized: everything our span helpers record goes through here.
 */
export function toAttributeValue(
  key: string,
  value: unknown,
  maxLength = DEFAULT_MAX_ATTRIBUTE_LENGTH,
): AttributeValue | undefined {
  if (value === undefined || value === null) return undefined;
  if (isSecretKey(key)) return REDACTED;
  if (typeof value === 'string') return truncate(value, maxLength);
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (Array.isArray(value) && isPrimitiveArray(value)) {
    return value.map((item) =>
      typeof item === 'string' ? truncate(item, maxLength) : item,
    ) as AttributeValue;
  }
  return safeJson(value, maxLength);
}

export function sanitizeAttributes(
  attributes: Record<string, unknown>,
  maxLength = DEFAULT_MAX_ATTRIBUTE_LENGTH,
): Attributes {
  const sanitized: Attributes = {};
  for (const [key, value] of Object.entries(attributes)) {
    const attributeValue = toAttributeValue(key, value, maxLength);
    if (attributeValue !== undefined) sanitized[key] = attributeValue;
  }
  return sanitized;
}
