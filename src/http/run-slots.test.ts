import express from 'express';
import request from 'supertest';
import { admitRuns, RunSlots } from './run-slots';

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

describe('admitRuns', () => {
  it('answers a POST 503 overloaded with Retry-After when no slot is free, and lets other methods through', async () => {
    const slots = new RunSlots(1);
    slots.tryTake();
    const app = express()
      .use(admitRuns(slots))
      .all('/run', (_request, response) => void response.json({ ran: true }));

    const refused = await request(app).post('/run').send({});
    expect(refused.status).toBe(503);
    expect(refused.headers['retry-after']).toBe('1');
    expect(refused.body).toEqual({
      error: { code: 'overloaded', message: expect.stringContaining('1 agent runs') },
    });
    expect((await request(app).get('/run')).status).toBe(200);
  });

  it('holds the slot until the answer is sent', async () => {
    const slots = new RunSlots(1);
    let inFlightDuringRun = 0;
    const app = express()
      .use(admitRuns(slots))
      .post('/run', (_request, response) => {
        inFlightDuringRun = slots.inFlight;
        response.json({ ran: true });
      });
    await request(app).post('/run').send({});
    await request(app).post('/run').send({});
    expect(inFlightDuringRun).toBe(1);
    expect(slots.inFlight).toBe(0);
  });
});
