import express from 'express';
import request from 'supertest';
import { createErrorHandler } from './errors';
import { RunSlots } from './run-slots';

describe('RunSlots', () => {
  it('refuses a slot when all are taken, and gives each back once however often it is released', () => {
    const slots = new RunSlots(2);
    const first = slots.tryTake()!;
    expect(slots.tryTake()).toBeDefined();
    expect(slots.tryTake()).toBeUndefined();
    first();
    first();
    expect(slots.inFlight).toBe(1);
    expect(slots.tryTake()).toBeDefined();
    expect(slots.tryTake()).toBeUndefined();
  });
});

describe('RunSlots.admit', () => {
  /** A route that admits its run, as the run routes do, and says how many were in flight. */
  const appWith = (slots: RunSlots) =>
    express()
      .post('/run', (_request, response) => {
        slots.admit(response);
        response.json({ inFlight: slots.inFlight });
      })
      .use(createErrorHandler(() => undefined));

  it('refuses a run with 503 overloaded and Retry-After when every slot is taken', async () => {
    const slots = new RunSlots(1);
    slots.tryTake();

    const refused = await request(appWith(slots)).post('/run').send({});
    expect(refused.status).toBe(503);
    expect(refused.headers['retry-after']).toBe('1');
    expect(refused.body).toEqual({
      error: { code: 'overloaded', message: expect.stringContaining('1 agent runs') },
    });
  });

  it('holds the slot until the answer is sent', async () => {
    const slots = new RunSlots(1);
    const app = appWith(slots);
    expect((await request(app).post('/run').send({})).body).toEqual({ inFlight: 1 });
    expect((await request(app).post('/run').send({})).body).toEqual({ inFlight: 1 });
    expect(slots.inFlight).toBe(0);
  });
});
