// Pure conversion from a decoded OTLP ExportTraceServiceRequest to plain,
// test-friendly spans. The decoded shapes below are what @grpc/proto-loader
// yields for proto/otlp-trace.proto with
// { keepCase: false, longs: String, enums: String, defaults: true, oneofs: true }.

export type AttributeValue =
  string | number | boolean | AttributeValue[] | { [key: string]: AttributeValue };
export type AttributeType = 'string' | 'bool' | 'int' | 'double' | 'array' | 'kvlist' | 'bytes';
export type SpanKindName =
  'UNSPECIFIED' | 'INTERNAL' | 'SERVER' | 'CLIENT' | 'PRODUCER' | 'CONSUMER';
export type StatusCodeName = 'UNSET' | 'OK' | 'ERROR';

export interface ReceivedSpan {
  traceId: string;
  spanId: string;
  /** '' for a root span. */
  parentSpanId: string;
  name: string;
  kind: SpanKindName;
  startTimeUnixNano: bigint;
  endTimeUnixNano: bigint;
  /** int64 values become numbers (Number()), bytes become lowercase hex. */
  attributes: Record<string, AttributeValue>;
  /** Lets a test tell an int from a double, which `attributes` cannot. */
  attributeTypes: Record<string, AttributeType>;
  events: { name: string; timeUnixNano: bigint; attributes: Record<string, AttributeValue> }[];
  /** Span links, ids as lowercase hex. */
  links: { traceId: string; spanId: string }[];
  status: { code: StatusCodeName; message: string };
  resource: Record<string, AttributeValue>;
  /** Resource attribute 'service.name', '' if absent. */
  serviceName: string;
  scopeName: string;
}

type Bytes = Uint8Array;
/** Unknown enum numbers stay numbers with `enums: String`. */
type DecodedEnum = string | number;

export interface DecodedAnyValue {
  value?:
    | 'stringValue'
    | 'boolValue'
    | 'intValue'
    | 'doubleValue'
    | 'arrayValue'
    | 'kvlistValue'
    | 'bytesValue';
  stringValue?: string;
  boolValue?: boolean;
  intValue?: string;
  doubleValue?: number;
  arrayValue?: { values?: DecodedAnyValue[] | null } | null;
  kvlistValue?: { values?: DecodedKeyValue[] | null } | null;
  bytesValue?: Bytes;
}

export interface DecodedKeyValue {
  key: string;
  value?: DecodedAnyValue | null;
}

export interface DecodedSpan {
  traceId: Bytes;
  spanId: Bytes;
  parentSpanId?: Bytes | null;
  name: string;
  kind: DecodedEnum;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes?: DecodedKeyValue[] | null;
  events?: { name: string; timeUnixNano: string; attributes?: DecodedKeyValue[] | null }[] | null;
  links?: { traceId: Bytes; spanId: Bytes }[] | null;
  status?: { code: DecodedEnum; message: string } | null;
}

export interface DecodedExportTraceRequest {
  resourceSpans?:
    | {
        resource?: { attributes?: DecodedKeyValue[] | null } | null;
        scopeSpans?: { scope?: { name: string } | null; spans?: DecodedSpan[] | null }[] | null;
      }[]
    | null;
}

const SPAN_KINDS: readonly SpanKindName[] = [
  'UNSPECIFIED',
  'INTERNAL',
  'SERVER',
  'CLIENT',
  'PRODUCER',
  'CONSUMER',
];
const STATUS_CODES: readonly StatusCodeName[] = ['UNSET', 'OK', 'ERROR'];

export function toReceivedSpans(request: DecodedExportTraceRequest): ReceivedSpan[] {
  const received: ReceivedSpan[] = [];
  for (const resourceSpans of request.resourceSpans ?? []) {
    const resource = toAttributes(resourceSpans.resource?.attributes).values;
    const serviceName = resource['service.name'];
    for (const scopeSpans of resourceSpans.scopeSpans ?? []) {
      const scopeName = scopeSpans.scope?.name ?? '';
      for (const span of scopeSpans.spans ?? []) {
        received.push({
          ...toSpanFields(span),
          resource,
          serviceName: typeof serviceName === 'string' ? serviceName : '',
          scopeName,
        });
      }
    }
  }
  return received;
}

/** Cheap span count for receivers that do not keep spans (benchmarks). */
export function countSpans(request: DecodedExportTraceRequest): number {
  let count = 0;
  for (const resourceSpans of request.resourceSpans ?? []) {
    for (const scopeSpans of resourceSpans.scopeSpans ?? []) count += scopeSpans.spans?.length ?? 0;
  }
  return count;
}

function toSpanFields(
  span: DecodedSpan,
): Omit<ReceivedSpan, 'resource' | 'serviceName' | 'scopeName'> {
  const { values: attributes, types: attributeTypes } = toAttributes(span.attributes);
  return {
    traceId: toHex(span.traceId),
    spanId: toHex(span.spanId),
    parentSpanId: span.parentSpanId ? toHex(span.parentSpanId) : '',
    name: span.name,
    kind: enumName(span.kind, 'SPAN_KIND_', SPAN_KINDS, 'UNSPECIFIED'),
    startTimeUnixNano: BigInt(span.startTimeUnixNano),
    endTimeUnixNano: BigInt(span.endTimeUnixNano),
    attributes,
    attributeTypes,
    events: (span.events ?? []).map((event) => ({
      name: event.name,
      timeUnixNano: BigInt(event.timeUnixNano),
      attributes: toAttributes(event.attributes).values,
    })),
    links: (span.links ?? []).map((link) => ({
      traceId: toHex(link.traceId),
      spanId: toHex(link.spanId),
    })),
    status: {
      // A missing status means UNSET in OTLP.
      code: enumName(span.status?.code ?? 0, 'STATUS_CODE_', STATUS_CODES, 'UNSET'),
      message: span.status?.message ?? '',
    },
  };
}

export function toAttributes(keyValues: DecodedKeyValue[] | null | undefined): {
  values: Record<string, AttributeValue>;
  types: Record<string, AttributeType>;
} {
  const values: Record<string, AttributeValue> = {};
  const types: Record<string, AttributeType> = {};
  for (const { key, value } of keyValues ?? []) {
    const converted = value ? toAttributeValue(value) : undefined;
    // An AnyValue with no member set is legal OTLP ("empty") but has no
    // AttributeValue equivalent, so it is left out rather than invented.
    if (!converted) continue;
    values[key] = converted.value;
    types[key] = converted.type;
  }
  return { values, types };
}

function toAttributeValue(
  anyValue: DecodedAnyValue,
): { value: AttributeValue; type: AttributeType } | undefined {
  switch (anyValue.value) {
    case 'stringValue':
      return { value: anyValue.stringValue ?? '', type: 'string' };
    case 'boolValue':
      return { value: anyValue.boolValue ?? false, type: 'bool' };
    case 'intValue':
      return { value: Number(anyValue.intValue ?? 0), type: 'int' };
    case 'doubleValue':
      return { value: anyValue.doubleValue ?? 0, type: 'double' };
    case 'bytesValue':
      return { value: anyValue.bytesValue ? toHex(anyValue.bytesValue) : '', type: 'bytes' };
    case 'arrayValue': {
      const items = (anyValue.arrayValue?.values ?? []).map(
        (item) => toAttributeValue(item)?.value,
      );
      return { value: items.filter((item) => item !== undefined), type: 'array' };
    }
    case 'kvlistValue':
      return { value: toAttributes(anyValue.kvlistValue?.values).values, type: 'kvlist' };
    default:
      return undefined;
  }
}

function toHex(bytes: Bytes): string {
  return Buffer.from(bytes).toString('hex');
}

function enumName<T extends string>(
  decoded: DecodedEnum,
  prefix: string,
  names: readonly T[],
  fallback: T,
): T {
  const name = typeof decoded === 'number' ? names[decoded] : decoded.slice(prefix.length);
  return names.find((known) => known === name) ?? fallback;
}
