import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import Ajv2020 from 'ajv/dist/2020';
import { parseServerSentEvents } from './server-sent-events';

type Json = Record<string, unknown>;

/** What came back for one request, as the contract checks it. */
export interface ObservedExchange {
  method: string;
  path: string;
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
  /** The body as text, for what is not JSON (a stream of server-sent events). */
  text?: string;
}

const VALIDATOR_CLI =
  require.resolve('@seriousme/openapi-schema-validator/bin/validate-api-cli.js');

/**
 * Checks a document against the OpenAPI 3.1 schema with `@seriousme/openapi-schema-validator`.
 * The package is ESM only, which Jest's module system cannot load: it runs as its own process.
 */
export async function validateOpenApiDocument(
  document: unknown,
): Promise<{ valid: boolean; errors?: unknown }> {
  const directory = await mkdtemp(path.join(os.tmpdir(), 'openapi-'));
  const file = path.join(directory, 'openapi.json');
  try {
    await writeFile(file, JSON.stringify(document));
    const { stdout } = await promisify(execFile)(process.execPath, [VALIDATOR_CLI, file]).catch(
      (error: { stdout?: string }) => ({ stdout: error.stdout ?? '{"valid":false}' }),
    );
    return JSON.parse(stdout) as { valid: boolean; errors?: unknown };
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

const ajv = new Ajv2020({ strict: false, allErrors: true });

function resolve(document: Json, node: unknown): Json {
  const ref = (node as { $ref?: string })?.$ref;
  if (!ref) return node as Json;
  return ref
    .slice(2)
    .split('/')
    .reduce<Json>((at, key) => at[key] as Json, document);
}

/** The response the document promises for this method, path and status. */
function promisedResponse(document: Json, { method, path, status }: ObservedExchange): Json {
  const paths = document.paths as Record<string, Json>;
  const responses = (document.components as Json).responses as Json;
  const pathItem = paths[path];
  if (!pathItem) return expectStatus(404, status, path, resolve(document, responses.NotFound));
  const operation = pathItem[method.toLowerCase()] as Json | undefined;
  if (!operation)
    return expectStatus(405, status, path, resolve(document, responses.MethodNotAllowed));
  const response = (operation.responses as Json)[String(status)];
  if (!response)
    throw new Error(`${method} ${path}: status ${status} is not in the OpenAPI document`);
  return resolve(document, response);
}

function expectStatus(expected: number, status: number, path: string, response: Json): Json {
  if (status !== expected)
    throw new Error(`${path}: not in the OpenAPI document, answered ${status}, not ${expected}`);
  return response;
}

/** Compiled once per schema: a load test may check thousands of answers. */
const validators = new WeakMap<Json, ReturnType<typeof ajv.compile>>();

function check(schema: Json, value: unknown, what: string): void {
  let validate = validators.get(schema);
  if (!validate) validators.set(schema, (validate = ajv.compile(schema)));
  if (!validate(value))
    throw new Error(`${what} does not match the OpenAPI document: ${ajv.errorsText(validate.errors)}
${JSON.stringify(value)}`);
}

/**
 * Throws unless the exchange is one the document promises: a documented status for that route (a
 * documented 404 or 405 for routes it does not list), a body of the documented schema, and the
 * documented headers, of the documented form when present.
 */
export function assertMatchesDocument(document: Json, exchange: ObservedExchange): void {
  const response = promisedResponse(document, exchange);
  const what = `${exchange.method} ${exchange.path} → ${exchange.status}`;
  const content = response.content as Json | undefined;
  const jsonContent = content?.['application/json'] as Json | undefined;
  if (jsonContent && exchange.method.toLowerCase() !== 'head') {
    if (!/^application\/json\b/.test(String(exchange.headers['content-type'])))
      throw new Error(`${what} is not JSON (${exchange.headers['content-type']})`);
    check(jsonContent.schema as Json, exchange.body, `The body of ${what}`);
  }
  const eventStream = content?.['text/event-stream'] as Json | undefined;
  if (eventStream) {
    if (!/^text\/event-stream\b/.test(String(exchange.headers['content-type'])))
      throw new Error(`${what} is not an event stream (${exchange.headers['content-type']})`);
    const events = parseServerSentEvents(exchange.text ?? '');
    if (!events.length) throw new Error(`${what} streamed no event`);
    for (const event of events)
      check(eventStream.schema as Json, event, `The event ${event.event} of ${what}`);
  }
  for (const [name, header] of Object.entries((response.headers ?? {}) as Json)) {
    const { schema, required } = resolve(document, header) as { schema: Json; required?: boolean };
    const value = exchange.headers[name.toLowerCase()];
    if (value === undefined && required) throw new Error(`${what} lacks the header ${name}`);
    if (value !== undefined) check(schema, value, `The header ${name} of ${what}`);
  }
}
