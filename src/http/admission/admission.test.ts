import express from 'express';
import request from 'supertest';
import { CALM, holdEveryRun, testAdmission } from '../../../test/support/admission';
import { until } from '../../../test/support/until';
import { createErrorHandler } from '../errors';
import { requireApiKey } from '../security';
import type { Admission, RefusalReason } from './admission';
import type { Pressure } from './pressure';

const MIB = 1024 * 1024;
const GIB = 1024 * MIB;

describe('Admission', () => {
  // testAdmission: 4 GiB of heap, 8 GiB of memory; refused past 250 ms of event-loop delay (every
  // caller past 1 s), 90% of the heap (3.6 GiB) and 85% of the memory (6.8 GiB).
  it.each<[RefusalReason, Partial<Pressure>]>([
    ['event_loop_delay', { eventLoopDelayMs: 1_001 }],
    ['heap_used', { heapUsedBytes: 3.7 * GIB }],
    ['rss', { rssBytes: 7 * GIB }],
  ])('refuses a run for %s when the process is past that bound', (reason, pressed) => {
    const admission = testAdmission(10, { pressure: { ...CALM, ...pressed } });
    expect(admission.tryTake('caller')).toBe(reason);
    expect(admission.inFlight).toBe(0);
  });

  it('admits a run under its bounds: a delay of 250 ms, 3.5 GiB of heap, 6.5 GiB of memory', () => {
    const pressure = { eventLoopDelayMs: 250, heapUsedBytes: 3.5 * GIB, rssBytes: 6.5 * GIB };
    expect(testAdmission(10, { pressure }).tryTake('caller')).toBeInstanceOf(Function);
  });

  it('refuses the callers asking the most first while the event loop runs late, and every caller past four times its bound', () => {
    const pressure = { ...CALM };
    let now = 0;
    const admission = testAdmission(100, { pressure, now: () => now });
    // Over the last second: a flood asked for 30 runs and released them, a steady client for 6.
    for (let run = 0; run < 30; run++) (admission.tryTake('flood') as () => void)();
    for (let run = 0; run < 6; run++) (admission.tryTake('steady') as () => void)();
    now = 900;

    // 36 runs asked by two callers, 18 on average, and the loop 300 ms late: the flood holds
    // nothing now, and is refused all the same.
    pressure.eventLoopDelayMs = 300;
    expect(admission.tryTake('flood')).toBe('event_loop_delay');
    expect(admission.tryTake('steady')).toBeInstanceOf(Function);
    expect(admission.tryTake('newcomer')).toBeInstanceOf(Function);

    pressure.eventLoopDelayMs = 1_001;
    expect(admission.tryTake('newcomer')).toBe('event_loop_delay');
  });

  it('weighs a caller on what it asked before this request: one run a second beside a flood is admitted', () => {
    const pressure = { ...CALM };
    let now = 0;
    const admission = testAdmission(1_000, { pressure, now: () => now });
    // The last second: a flood asked for 20 runs, a hundred users one each.
    for (let run = 0; run < 20; run++) (admission.tryTake('flood') as () => void)();
    for (let user = 0; user < 100; user++) (admission.tryTake(`user-${user}`) as () => void)();
    now = 1_500;
    pressure.eventLoopDelayMs = 300;

    const users = Array.from({ length: 100 }, (_, user) => admission.tryTake(`user-${user}`));
    expect(users.filter((taken) => typeof taken === 'string')).toEqual([]);
    expect(admission.tryTake('flood')).toBe('event_loop_delay');
  });

  it('counts the requests refused at the edge as asked by their address: a pipelined flood is the heavy caller', () => {
    const pressure = { ...CALM };
    let now = 0;
    const admission = testAdmission(100, { pressure, now: () => now });
    // Each of its connections brings one run to admission and fifty more refused at the edge.
    (admission.tryTake('203.0.113.9') as () => void)();
    for (let request = 0; request < 50; request++)
      admission.refusedAtEdge('connection_requests_in_flight', '203.0.113.9');
    for (let run = 0; run < 5; run++) (admission.tryTake('honest-key') as () => void)();
    now = 900;
    pressure.eventLoopDelayMs = 300;

    expect(admission.tryTake('honest-key')).toBeInstanceOf(Function);
    expect(admission.tryTake('203.0.113.9')).toBe('event_loop_delay');
  });

  it('forgets what a caller asked as the window slides past it', () => {
    const pressure = { ...CALM, eventLoopDelayMs: 300 };
    let now = 0;
    const admission = testAdmission(100, { pressure, now: () => now });
    pressure.eventLoopDelayMs = 0;
    for (let run = 0; run < 30; run++) (admission.tryTake('burst') as () => void)();
    for (let run = 0; run < 10; run++) (admission.tryTake('steady') as () => void)();
    pressure.eventLoopDelayMs = 300;

    // A second later the burst still weighs its 30 against the steady client's 10 ...
    now = 1_000;
    expect(admission.tryTake('burst')).toBe('event_loop_delay');
    // ... then slides out of the window while the steady client keeps asking.
    now = 1_900;
    for (let run = 0; run < 10; run++) admission.tryTake('steady');
    expect(admission.tryTake('burst')).toBeInstanceOf(Function);
    // Two windows later nothing is remembered: a lone caller asks all there is, and is refused.
    now = 4_000;
    expect(admission.tryTake('steady')).toBe('event_loop_delay');
  });

  it('lets one caller hold half of the runs in flight, and admits another caller beside it', () => {
    const admission = testAdmission(4);
    expect(admission.tryTake('flood')).toBeInstanceOf(Function);
    expect(admission.tryTake('flood')).toBeInstanceOf(Function);

    expect(admission.tryTake('flood')).toBe('caller_runs_in_flight');
    expect(admission.tryTake('honest')).toBeInstanceOf(Function);
  });

  it('refuses any caller once the runs in flight reach their cap', () => {
    const admission = testAdmission(4);
    holdEveryRun(admission);

    expect(admission.inFlight).toBe(4);
    expect(admission.tryTake('newcomer')).toBe('runs_in_flight');
  });

  it("gives a run's place back once however often it is released, to its caller too", () => {
    const admission = testAdmission(2);
    const release = admission.tryTake('caller') as () => void;
    expect(admission.tryTake('caller')).toBe('caller_runs_in_flight');

    release();
    release();
    expect(admission.inFlight).toBe(0);
    expect(admission.tryTake('caller')).toBeInstanceOf(Function);
    expect(admission.tryTake('other')).toBeInstanceOf(Function);
    expect(admission.tryTake('third')).toBe('runs_in_flight');
  });
});

describe('Admission.admit', () => {
  /** A route that admits its run, as the run routes do, and says how many were in flight. */
  const appWith = (admission: Admission, apiKeys: string[] = []) => {
    const app = express();
    if (apiKeys.length) app.use(requireApiKey(apiKeys));
    return app
      .post('/run', (request, response) => {
        admission.admit(request, response);
        response.json({ inFlight: admission.inFlight });
      })
      .use(createErrorHandler(() => undefined));
  };

  it('refuses a run with 503 overloaded, Retry-After and the reason in words, and tells whom it is told to', async () => {
    const refused: RefusalReason[] = [];
    const admission = testAdmission(10, {
      pressure: { ...CALM, eventLoopDelayMs: 1_500 },
      onRefused: (reason) => refused.push(reason),
    });

    const response = await request(appWith(admission)).post('/run').send({});
    expect(response.status).toBe(503);
    expect(response.headers['retry-after']).toBe('1');
    expect(response.body).toEqual({
      error: { code: 'overloaded', message: expect.stringContaining('event loop') },
    });
    expect(refused).toEqual(['event_loop_delay']);
  });

  it('holds the place until the answer is sent', async () => {
    const admission = testAdmission(2);
    const app = appWith(admission);
    expect((await request(app).post('/run').send({})).body).toEqual({ inFlight: 1 });
    expect((await request(app).post('/run').send({})).body).toEqual({ inFlight: 1 });
    expect(admission.inFlight).toBe(0);
  });

  it('counts the runs of a caller by its API key when keys are on, not by its address', async () => {
    const admission = testAdmission(4);
    const held: (() => void)[] = [];
    const app = express()
      .use(requireApiKey(['key-flood', 'key-honest']))
      .post('/run', (request, response) => {
        admission.admit(request, response);
        // Answered only when the test says: the run is in flight until then.
        held.push(() => response.json({}));
      })
      .use(createErrorHandler(() => undefined));
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    // A run admitted by mistake would be held forever: the test fails in 5 s instead.
    const post = (key: string) =>
      request(server).post('/run').set('X-API-Key', key).timeout(5_000).send({});
    try {
      const flood = [post('key-flood'), post('key-flood')].map((pending) => pending.then());
      await until(() => admission.inFlight === 2, 'the flood to hold its two runs');

      expect((await post('key-flood')).status).toBe(503);
      let honestSettled = false;
      const honest = post('key-honest').then((response) => ((honestSettled = true), response));
      await until(() => admission.inFlight === 3 || honestSettled, 'the honest run');
      held.forEach((answer) => answer());
      // Before (callers by address alone): 503, as the flood's.
      expect((await honest).status).toBe(200);
      expect((await Promise.all(flood)).map((response) => response.status)).toEqual([200, 200]);
    } finally {
      server.close();
      server.closeAllConnections();
    }
  });
});
