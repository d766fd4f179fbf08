import express from 'express';
import request from 'supertest';
import { correlationId, correlationIdOf } from './correlation-id';

const app = express()
  .use(correlationId)
  .get('/', (_request, response) => void response.json({ id: correlationIdOf(response) }));

describe('the correlation id of a request', () => {
  it("keeps the caller's X-Correlation-Id, and echoes it", async () => {
    const response = await request(app).get('/').set('X-Correlation-Id', 'taller-42').expect(200);
    expect(response.headers['x-correlation-id']).toBe('taller-42');
    expect(response.body).toEqual({ id: 'taller-42' });
  });

  it.each([
    ['with spaces', 'taller 42'],
    ['over 128 characters', 'a'.repeat(129)],
  ])('generates a new one for an X-Correlation-Id %s, and echoes it', async (_label, sent) => {
    const response = await request(app).get('/').set('X-Correlation-Id', sent).expect(200);
    expect(response.headers['x-correlation-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(response.body).toEqual({ id: response.headers['x-correlation-id'] });
  });
});
