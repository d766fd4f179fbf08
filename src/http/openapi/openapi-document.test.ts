import pino from 'pino';
import request from 'supertest';
import { validateOpenApiDocument } from '../../../test/support/openapi-contract';
import { createApp } from '../../app';
import { LIMITS } from '../../limits';
import { ERROR_STATUS } from '../errors';
import { operationsOf } from '../routes/route';
import { AGENT_ROUTES, SUB_AGENT_ROUTES } from '../routes/services';
import type { ApiOperation } from './api-operation';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

// What src/server.ts and src/subagent/server.ts describe.
const AGENT = operationsOf(AGENT_ROUTES);
const SUB_AGENT = operationsOf(SUB_AGENT_ROUTES);

const appWith = (operations: readonly ApiOperation[], apiKeys: string[] = []) =>
  createApp({
    logger: pino({ level: 'silent' }),
    routers: [],
    apiKeys,
    api: { title: 'agent-service', operations },
  });

async function documentOf(operations: readonly ApiOperation[], apiKeys: string[] = []) {
  const response = await request(appWith(operations, apiKeys)).get('/openapi.json').expect(200);
  return response.body as Json;
}

const codesIn = (responses: Json): string[] =>
  Object.values(responses).flatMap(
    (response: Json) =>
      response.content['application/json'].schema.properties.error.properties.code.enum ?? [],
  );

describe('GET /openapi.json', () => {
  it.each([
    ['the agent, open', AGENT, []],
    ['the agent, with keys', AGENT, ['a-long-enough-key']],
    ['the sub-agent', SUB_AGENT, []],
  ])('is a valid OpenAPI 3.1 document: %s', async (_name, operations, keys) => {
    const document = await documentOf(operations, keys);

    expect(document.openapi).toBe('3.1.0');
    expect(await validateOpenApiDocument(document)).toEqual({ valid: true });
  });

  it('documents every error code the services answer, each under its status', async () => {
    const documented = new Map<string, string>();
    for (const operations of [AGENT, SUB_AGENT]) {
      const document = await documentOf(operations, ['a-long-enough-key']);
      const { NotFound, MethodNotAllowed } = document.components.responses;
      const responses = [
        ...Object.values(document.paths as Json).flatMap((item: Json) =>
          Object.values(item).map((operation: Json) => operation.responses),
        ),
        { 404: NotFound, 405: MethodNotAllowed },
      ];
      for (const byStatus of responses)
        for (const [status, response] of Object.entries(byStatus as Json))
          if (!status.startsWith('2'))
            for (const code of codesIn({ [status]: response })) documented.set(code, status);
    }

    expect(Object.fromEntries(documented)).toEqual(
      Object.fromEntries(
        Object.entries(ERROR_STATUS).map(([code, status]) => [code, String(status)]),
      ),
    );
  });

  it('describes the execute body with the limits the route enforces', async () => {
    const execute = (await documentOf(AGENT)).paths['/api/v1/agent/execute'].post;
    const body = execute.requestBody.content['application/json'].schema;

    expect(body.required).toEqual(['task']);
    expect(body.additionalProperties).toBe(false);
    expect(body.properties.task).toMatchObject({ minLength: 1, maxLength: LIMITS.maxTaskLength });
    expect(body.properties.max_steps).toMatchObject({
      type: 'integer',
      minimum: 1,
      maximum: LIMITS.maxStepsLimit,
      default: LIMITS.defaultMaxSteps,
    });
    expect(body.properties.user_id).toMatchObject({ maxLength: LIMITS.maxIdLength });
    expect(execute.requestBody.description).toContain(`${LIMITS.maxBodyBytes} bytes`);
    expect(execute.responses['200'].content['application/json'].schema.required).toEqual([
      'response',
      'steps',
      'total_steps',
      'stopped_reason',
      'trace_id',
      'usage',
    ]);
    expect(Object.keys(execute.responses['200'].headers)).toEqual([
      'X-Trace-Id',
      'X-Correlation-Id',
    ]);
    expect(Object.keys(execute.responses['503'].headers)).toContain('Retry-After');
  });

  it('describes DELETE /api/v1/memory: its query parameters, its answer and its errors', async () => {
    const erase = (await documentOf(AGENT)).paths['/api/v1/memory'].delete;

    expect(erase.requestBody).toBeUndefined();
    expect(erase.parameters).toEqual([
      expect.objectContaining({
        name: 'user_id',
        in: 'query',
        required: true,
        schema: expect.objectContaining({ maxLength: LIMITS.maxIdLength }),
      }),
      expect.objectContaining({ name: 'session_id', in: 'query', required: false }),
      expect.objectContaining({ name: 'X-On-Behalf-Of', in: 'header' }),
    ]);
    expect(erase.responses['200'].content['application/json'].schema).toMatchObject({
      required: ['erased'],
      properties: { erased: { type: 'integer', minimum: 0 } },
    });
    expect(codesIn({ 400: erase.responses['400'] })).toContain('invalid_request');
    expect(codesIn({ 503: erase.responses['503'] })).toContain('memory_unavailable');
  });

  it("describes the stream: execute's body in, each event and its data out, run.finished as execute's answer", async () => {
    const { paths } = await documentOf(AGENT);
    const execute = paths['/api/v1/agent/execute'].post;
    const stream = paths['/api/v1/agent/stream'].post;
    const events: Json[] = stream.responses['200'].content['text/event-stream'].schema.oneOf;
    const dataOf = (name: string) => events.find((event) => event.title === name)?.properties.data;

    expect(stream.requestBody).toEqual(execute.requestBody);
    expect(events.map((event) => event.title)).toEqual([
      'run.started',
      'step.started',
      'tool.started',
      'tool.finished',
      'text.delta',
      'run.finished',
      'error',
    ]);
    expect(dataOf('run.finished')).toMatchObject(
      execute.responses['200'].content['application/json'].schema,
    );
    expect(dataOf('tool.finished').required).toEqual(['call_id', 'name', 'ok', 'duration_ms']);
    expect(dataOf('error').properties.error.properties.code.enum).toEqual(
      expect.arrayContaining(['model_timeout', 'request_timeout', 'internal_error']),
    );
    // Once the stream has begun, a failure is an event; before it, validation is a JSON answer.
    expect(stream.responses['400'].content['application/json']).toBeDefined();
    expect(stream.responses['504']).toBeUndefined();
  });

  it('names the security schemes and the 401 only when keys are configured; /healthz stays open', async () => {
    const open = await documentOf(AGENT);
    const locked = await documentOf(AGENT, ['a-long-enough-key']);

    expect(open.security).toBeUndefined();
    expect(open.components.securitySchemes).toBeUndefined();
    expect(open.paths['/api/v1/agent/execute'].post.responses['401']).toBeUndefined();
    expect(locked.security).toEqual([{ bearer: [] }, { apiKey: [] }]);
    expect(locked.components.securitySchemes).toEqual({
      bearer: expect.objectContaining({ type: 'http', scheme: 'bearer' }),
      apiKey: expect.objectContaining({ type: 'apiKey', in: 'header', name: 'X-API-Key' }),
    });
    expect(locked.paths['/api/v1/agent/execute'].post.responses['401']).toBeDefined();
    expect(locked.paths['/healthz'].get.security).toEqual([]);
    expect(locked.paths['/healthz'].get.responses['401']).toBeUndefined();
  });

  it('is served without a key, like /healthz, and refuses other methods', async () => {
    const app = appWith(AGENT, ['a-long-enough-key']);

    await request(app).get('/openapi.json').expect(200);
    const post = await request(app).post('/openapi.json').expect(405);
    expect(post.headers.allow).toBe('GET');
  });
});

describe('GET /docs', () => {
  it('serves Swagger UI and its assets from the package, nothing from another origin', async () => {
    const app = appWith(AGENT);

    await request(app).get('/docs').expect(301).expect('location', '/docs/');
    const page = await request(app).get('/docs/').expect(200);
    const sources = [...page.text.matchAll(/(?:src|href)=["']([^"']+)/g)].map((m) => m[1]);
    expect(sources.length).toBeGreaterThan(0);
    for (const source of sources) expect(source).toMatch(/^\.\//);
    // Every asset the page loads is on the list the router serves.
    for (const source of sources)
      await request(app)
        .get(`/docs/${source!.slice(2)}`)
        .expect(200);
    const init = await request(app).get('/docs/swagger-ui-init.js').expect(200);
    expect(init.text).toContain('"/api/v1/agent/execute"');
  });

  it('keeps the policy of every other page but upgrade-insecure-requests, which plain HTTP breaks', async () => {
    const app = appWith(AGENT);
    const policyOf = async (path: string) =>
      String((await request(app).get(path)).headers['content-security-policy']).split(';');

    const everywhere = await policyOf('/openapi.json');
    const docs = await policyOf('/docs/');

    expect(everywhere).toContain('upgrade-insecure-requests');
    expect(docs).toEqual(
      everywhere.filter((directive) => directive !== 'upgrade-insecure-requests'),
    );
    expect(docs).toContain("script-src 'self'");
  });
});
