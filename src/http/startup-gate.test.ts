import express from 'express';
import request from 'supertest';
import { createErrorHandler } from './errors';
import { holdUntilStarted } from './startup-gate';

function appHeldBy(started: Promise<unknown>, waitMs: number) {
  return express()
    .use(holdUntilStarted(started, waitMs))
    .get('/work', (_request, response) => void response.json({ done: true }))
    .use(createErrorHandler(() => undefined));
}

describe('the start-up gate', () => {
  it('holds a request until the start-up work is done, then serves it', async () => {
    let finish = () => {};
    const app = appHeldBy(new Promise<void>((resolve) => (finish = resolve)), 5_000);
    const answered = request(app)
      .get('/work')
      .then((response) => response.status);
    setTimeout(() => finish(), 50);
    expect(await answered).toBe(200);
  });

  it('answers 503 not_ready with Retry-After to a request that waited its limit', async () => {
    const response = await request(appHeldBy(new Promise(() => {}), 20)).get('/work');
    expect(response.status).toBe(503);
    expect(response.headers['retry-after']).toBe('1');
    expect(response.body.error.code).toBe('not_ready');
  });

  it('opens when the start-up work failed too: the service then works without it', async () => {
    const failed = Promise.reject(new Error('the tool service is down'));
    await request(appHeldBy(failed, 5_000)).get('/work').expect(200);
  });
});
