import { readFile } from 'node:fs/promises';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { context, propagation } from '@opentelemetry/api';
import express, { type RequestHandler } from 'express';
import pino from 'pino';
import request from 'supertest';
import { installInMemoryTracing, serverSpanMiddleware } from '../../test/support/in-memory-tracing';
import { createApp } from '../app';
import { userInBody, userInQuery, type UserOf } from './request-context';
import { routerOf, type Route } from './routes/route';

const tracing = installInMemoryTracing();
afterAll(() => tracing.shutdown());
beforeEach(() => tracing.reset());

const activeBaggage = () =>
  Object.fromEntries(
    (propagation.getBaggage(context.active())?.getAllEntries() ?? []).map(([key, entry]) => [
      key,
      entry.value,
    ]),
  );

/** Answers the baggage it sees as it starts, and again after a turn of the loop and some I/O. */
const reportBaggage: RequestHandler = async (_request, response) => {
  const atStart = activeBaggage();
  await nextTurn();
  await readFile(__filename);
  response.json({ atStart, afterAwaits: activeBaggage() });
};

const probe = (method: 'post' | 'delete', userOf?: UserOf): Route<unknown> => ({
  operation: {
    method,
    path: '/probe',
    operationId: `${method}Probe`,
    summary: 'A probe',
    errors: [],
  },
  userOf,
  handler: () => reportBaggage,
});

const app = express().use(
  serverSpanMiddleware,
  createApp({
    logger: pino({ level: 'silent' }),
    routers: [routerOf([probe('post', userInBody), probe('delete', userInQuery)], undefined)],
  }),
);
const serverSpan = () => tracing.spans().find((span) => span.name.endsWith(' /probe'))!;

describe('the request context of a route', () => {
  it("runs the route, after its awaits too, with the correlation id and the body's user in the baggage", async () => {
    const response = await request(app)
      .post('/probe')
      .set('X-Correlation-Id', 'corr-7')
      .send({ task: 'anything', user_id: 'ana', session_id: 's1' })
      .expect(200);

    const expected = { 'correlation.id': 'corr-7', 'user.id': 'ana' };
    expect(response.body).toEqual({ atStart: expected, afterAwaits: expected });
  });

  it("puts the body's user and session on the server span", async () => {
    await request(app)
      .post('/probe')
      .set('X-Correlation-Id', 'corr-8')
      .send({ user_id: 'ana', session_id: 's1' })
      .expect(200);

    expect(serverSpan().attributes).toMatchObject({
      'correlation.id': 'corr-8',
      'user.id': 'ana',
      'session.id': 's1',
    });
  });

  it("takes an erase's user from its query, and not its session: that one only narrows the erase", async () => {
    const response = await request(app).delete('/probe?user_id=ana&session_id=s1').expect(200);

    expect(response.body.afterAwaits).toEqual({
      'correlation.id': expect.any(String),
      'user.id': 'ana',
    });
    expect(serverSpan().attributes['user.id']).toBe('ana');
    expect(serverSpan().attributes['session.id']).toBeUndefined();
  });

  it('leaves a malformed user id out of the trace (the route then refuses it)', async () => {
    const response = await request(app)
      .post('/probe')
      .send({ user_id: 'ana maria', session_id: '' })
      .expect(200);

    expect(Object.keys(response.body.afterAwaits)).toEqual(['correlation.id']);
    expect(serverSpan().attributes['user.id']).toBeUndefined();
    expect(serverSpan().attributes['session.id']).toBeUndefined();
  });
});
