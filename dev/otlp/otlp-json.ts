/**
 * OTLP/JSON is protobuf's JSON mapping with one exception that matters here: trace and span ids
 * are hex strings, not base64 (the OTLP specification, "JSON Protobuf Encoding"). Enums may be
 * integers and 64-bit integers strings or numbers, which protobufjs's `fromObject` accepts as they
 * are. This turns the ids into bytes, so that the body can go through the same `.proto` as a
 * protobuf request.
 */

type JsonObject = Record<string, unknown>;

const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const objects = (value: unknown): JsonObject[] =>
  Array.isArray(value) ? value.filter(isObject) : [];

function hexToBytes(object: JsonObject, field: string): void {
  const value = object[field];
  if (typeof value !== 'string') return;
  if (!/^(?:[0-9a-f]{2})*$/i.test(value))
    throw new Error(`${field} must be a hex string in OTLP/JSON, got "${value.slice(0, 40)}"`);
  object[field] = Buffer.from(value, 'hex');
}

/** A copy of the parsed body of an OTLP/JSON trace export, with its ids as bytes. */
export function idsToBytes(body: unknown): JsonObject {
  if (!isObject(body)) throw new Error('an OTLP/JSON export must be a JSON object');
  const copy = structuredClone(body);
  for (const resourceSpans of objects(copy.resourceSpans)) {
    for (const scopeSpans of objects(resourceSpans.scopeSpans)) {
      for (const span of objects(scopeSpans.spans)) {
        for (const field of ['traceId', 'spanId', 'parentSpanId']) hexToBytes(span, field);
        for (const link of objects(span.links)) {
          hexToBytes(link, 'traceId');
          hexToBytes(link, 'spanId');
        }
      }
    }
  }
  return copy;
}
