import { z } from 'zod';
import { LIMITS } from '../../limits';
import { ERROR_STATUS, type ErrorCode } from '../errors';
import type { ApiOperation } from './api-operation';

export interface OpenApiOptions {
  title: string;
  description?: string;
  operations: readonly ApiOperation[];
  /** `AGENT_API_KEYS` is set: every route but the public ones needs a key (401, 429). */
  requiresKeys: boolean;
  /** `RATE_LIMIT_PER_MINUTE` is set (429). */
  rateLimited: boolean;
}

/** An OpenAPI 3.1 document, as JSON. */
export type OpenApiDocument = Record<string, unknown>;

/**
 * What any request may be answered, whatever its route: the server's edge (Node's parser and
 * timers, a declared body over the limit, a body too slow to arrive, an expectation other than
 * `100-continue`, pipelining, runs in flight), a service still starting (src/http/startup-gate.ts)
 * and a bug.
 */
const EVERY_ROUTE_ERRORS: readonly ErrorCode[] = [
  'bad_request',
  'client_timeout',
  'payload_too_large',
  'headers_too_large',
  'expectation_failed',
  'overloaded',
  'not_ready',
  'internal_error',
];

/** Headers that stand on the answers; none is always present, so none is required. */
const HEADERS = {
  'X-Trace-Id': {
    description:
      'The id of the trace this request produced (absent with OTEL_SDK_DISABLED=true, and on the probes /livez, /readyz and /healthz, which are not traced).',
    schema: { type: 'string', pattern: '^[0-9a-f]{32}$' },
  },
  'X-Correlation-Id': {
    description:
      "The request's correlation id: its own X-Correlation-Id, else one from upstream baggage, else a new UUID.",
    schema: { type: 'string', pattern: '^[\\w.:@-]{1,128}$' },
  },
  'Retry-After': {
    description: 'Seconds to wait before sending the request again.',
    schema: { type: 'string', pattern: '^[0-9]+$' },
  },
  'WWW-Authenticate': { description: 'How to authenticate.', schema: { type: 'string' } },
  Allow: { description: 'The methods this path takes.', schema: { type: 'string' } },
} as const;

const headerRef = (name: keyof typeof HEADERS) => ({ $ref: `#/components/headers/${name}` });

/** JSON Schema 2020-12, the dialect of OpenAPI 3.1, from a zod schema. */
function jsonSchemaOf(schema: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
  const { $schema: _dialect, ...jsonSchema } = z.toJSONSchema(schema, { io });
  return jsonSchema;
}

const errorBodySchema = (
  codes: readonly ErrorCode[],
  details: Readonly<Record<string, z.ZodType>> = {},
) =>
  z
    .object({
      error: z
        .object({
          code: z.enum(codes as [ErrorCode, ...ErrorCode[]]),
          message: z.string().describe('What went wrong, and what to do about it.'),
        })
        .strict(),
      ...details,
    })
    .strict();

function headersOfStatus(status: number) {
  const headers: Record<string, unknown> = {
    'X-Trace-Id': headerRef('X-Trace-Id'),
    'X-Correlation-Id': headerRef('X-Correlation-Id'),
  };
  if (status === 429 || status === 503) headers['Retry-After'] = headerRef('Retry-After');
  if (status === 401) headers['WWW-Authenticate'] = headerRef('WWW-Authenticate');
  if (status === 405) headers.Allow = headerRef('Allow');
  return headers;
}

/**
 * One response per status, each listing the codes it may carry; a status that carries one of the
 * route's own codes describes its `errorDetails` too, present with those codes only.
 */
function errorResponses(
  codes: readonly ErrorCode[],
  { errors: ownCodes, errorDetails }: Pick<ApiOperation, 'errors' | 'errorDetails'> = {
    errors: [],
  },
): Record<string, unknown> {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of new Set(codes)) {
    const status = ERROR_STATUS[code];
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  const responses: Record<string, unknown> = {};
  for (const [status, statusCodes] of [...byStatus].sort(([a], [b]) => a - b)) {
    const details = statusCodes.some((code) => ownCodes.includes(code))
      ? Object.fromEntries(
          Object.entries(errorDetails ?? {}).map(([name, schema]) => [name, schema.optional()]),
        )
      : {};
    responses[String(status)] = {
      description: statusCodes.map((code) => `\`${code}\``).join(', '),
      headers: headersOfStatus(status),
      content: {
        'application/json': {
          schema: jsonSchemaOf(errorBodySchema(statusCodes, details), 'output'),
        },
      },
    };
  }
  return responses;
}

/** One parameter per property of the query's schema, with that property's JSON Schema. */
function queryParameters(query: z.ZodObject | undefined): Record<string, unknown>[] {
  if (!query) return [];
  const schema = jsonSchemaOf(query, 'input') as {
    properties: Record<string, { description?: string }>;
    required?: string[];
  };
  return Object.entries(schema.properties).map(([name, { description, ...property }]) => ({
    name,
    in: 'query',
    required: schema.required?.includes(name) ?? false,
    ...(description ? { description } : {}),
    schema: property,
  }));
}

const headerParameters = ({ headers = [] }: ApiOperation) =>
  headers.map(({ name, description, pattern }) => ({
    name,
    in: 'header',
    required: false,
    description,
    schema: { type: 'string', pattern: pattern.source },
  }));

/**
 * A stream's events in the form OpenAPI 3.1 tools read for `text/event-stream`, which has no type
 * for a sequence of items (3.2's `itemSchema`): one object per kind of event, with its name, its
 * sequence number and its JSON data.
 */
function eventStreamSchema({
  schemas,
  errorCodes,
}: NonNullable<ApiOperation['events']>): Record<string, unknown> {
  const events: Record<string, z.ZodType> = { ...schemas, error: errorBodySchema(errorCodes) };
  return {
    description: `Server-sent events, each one of the objects below: \`event\` its name, \`id\` its sequence number (1, 2, ...), \`data\` one line of JSON. While the run is quiet, a comment line (\`: keep-alive\`) every ${LIMITS.streamHeartbeatMs / 1000} s.`,
    oneOf: Object.entries(events).map(([name, schema]) => ({
      title: name,
      ...(schema.description ? { description: schema.description } : {}),
      type: 'object',
      properties: {
        event: { const: name },
        id: { type: 'string', pattern: '^[1-9][0-9]*$' },
        data: jsonSchemaOf(schema, 'output'),
      },
      required: ['event', 'id', 'data'],
    })),
  };
}

function successContent(operation: ApiOperation): Record<string, unknown> {
  if (operation.events)
    return { 'text/event-stream': { schema: eventStreamSchema(operation.events) } };
  if (!operation.response) throw new Error(`${operation.operationId} describes no answer`);
  return { 'application/json': { schema: jsonSchemaOf(operation.response, 'output') } };
}

function operationObject(
  operation: ApiOperation,
  { requiresKeys, rateLimited }: OpenApiOptions,
): Record<string, unknown> {
  const errors = [...EVERY_ROUTE_ERRORS, ...operation.errors];
  if (requiresKeys && !operation.public) errors.push('unauthorized', 'rate_limited');
  if (rateLimited && !operation.public) errors.push('rate_limited');
  return {
    operationId: operation.operationId,
    summary: operation.summary,
    ...(operation.description ? { description: operation.description } : {}),
    ...(operation.public && requiresKeys ? { security: [] } : {}),
    ...(operation.headers?.length || operation.query
      ? { parameters: [...queryParameters(operation.query), ...headerParameters(operation)] }
      : {}),
    ...(operation.requestBody
      ? {
          requestBody: {
            required: true,
            description: `JSON (\`Content-Type: application/json\`, UTF-8, uncompressed), at most ${LIMITS.maxBodyBytes} bytes.`,
            content: {
              'application/json': { schema: jsonSchemaOf(operation.requestBody, 'input') },
            },
          },
        }
      : {}),
    responses: {
      [String(operation.status ?? 200)]: {
        description: operation.status === 201 ? 'Created' : 'OK',
        headers: headersOfStatus(operation.status ?? 200),
        content: successContent(operation),
      },
      ...errorResponses(errors, operation),
    },
  };
}

/**
 * The service's OpenAPI 3.1 document, generated from its routes' zod schemas and the error
 * catalogue (`ERROR_STATUS`), never written by hand. Like FastAPI's, it leaves out `/openapi.json`
 * and `/docs` themselves.
 */
export function buildOpenApiDocument(options: OpenApiOptions): OpenApiDocument {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const operation of options.operations)
    (paths[operation.path] ??= {})[operation.method] = operationObject(operation, options);
  return {
    openapi: '3.1.0',
    info: {
      title: options.title,
      version: '1',
      ...(options.description ? { description: options.description } : {}),
    },
    paths,
    components: {
      headers: HEADERS,
      // Answered on any path the document does not list, or with a method it does not list.
      responses: {
        NotFound: errorResponses(['not_found'])['404'],
        MethodNotAllowed: errorResponses(['method_not_allowed'])['405'],
      },
      ...(options.requiresKeys
        ? {
            securitySchemes: {
              bearer: { type: 'http', scheme: 'bearer', description: 'One of AGENT_API_KEYS.' },
              apiKey: {
                type: 'apiKey',
                in: 'header',
                name: 'X-API-Key',
                description: 'One of AGENT_API_KEYS.',
              },
            },
          }
        : {}),
    },
    ...(options.requiresKeys ? { security: [{ bearer: [] }, { apiKey: [] }] } : {}),
  };
}
