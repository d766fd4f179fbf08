import pino from 'pino';
import request from 'supertest';
import { createApp } from '../app';
import type { ReadinessCheck } from './readiness';

const check = (name: string, reason?: string): ReadinessCheck => ({ name, check: () => reason });

const appWith = (checks: ReadinessCheck[], shuttingDown = false) =>
  createApp({
    logger: pino({ level: 'silent' }),
    routers: [],
    readinessChecks: checks,
    isShuttingDown: () => shuttingDown,
    apiKeys: ['a-key'],
  });

describe('the probes', () => {
  it('answers /livez 200 whatever the readiness checks say, shutdown included', async () => {
    const app = appWith([check('memory', 'The memory database is away.')], true);
    const response = await request(app).get('/livez');
    expect({ status: response.status, body: response.body }).toEqual({
      status: 200,
      body: { status: 'ok' },
    });
  });

  it('answers /readyz 200 with every check when they all pass', async () => {
    const response = await request(appWith([check('shutdown'), check('tools')])).get('/readyz');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      status: 'ready',
      checks: [
        { name: 'shutdown', status: 'pass' },
        { name: 'tools', status: 'pass' },
      ],
    });
  });

  it('answers /readyz 503 not_ready naming each failing check with its reason', async () => {
    const app = appWith([
      check('shutdown'),
      check('memory', 'The memory database could not be reached (ECONNREFUSED).'),
      { name: 'sub_agent', check: () => Promise.reject(new Error('http://user:secret@host/')) },
    ]);
    const response = await request(app).get('/readyz');
    expect(response.status).toBe(503);
    expect(response.body).toEqual({
      error: { code: 'not_ready', message: 'Not ready: memory, sub_agent. The checks say why.' },
      checks: [
        { name: 'shutdown', status: 'pass' },
        {
          name: 'memory',
          status: 'fail',
          reason: 'The memory database could not be reached (ECONNREFUSED).',
        },
        // What a check throws is never shown.
        { name: 'sub_agent', status: 'fail', reason: 'The check failed.' },
      ],
    });
  });

  it.each([
    [false, 200, { status: 'ok' }],
    [true, 503, { error: { code: 'not_ready', message: 'The service is shutting down.' } }],
  ])(
    'keeps /healthz as documented: shutting down %s, %i, whatever the other checks say',
    async (shuttingDown, status, body) => {
      const app = appWith([check('tools', 'Not loaded.')], shuttingDown);
      const response = await request(app).get('/healthz');
      expect({ status: response.status, body: response.body }).toEqual({ status, body });
    },
  );

  it.each(['/livez', '/readyz', '/healthz'])(
    'answers %s without a key when API keys are configured, and only GET',
    async (path) => {
      const app = appWith([check('shutdown')]);
      expect((await request(app).get(path)).status).toBe(200);
      const deleted = await request(app).delete(path);
      expect({ status: deleted.status, allow: deleted.headers.allow }).toEqual({
        status: 405,
        allow: 'GET',
      });
    },
  );
});
