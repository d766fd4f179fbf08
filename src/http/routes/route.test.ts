import pino from 'pino';
import request from 'supertest';
import { createApp } from '../../app';
import { routerOf, type Route } from './route';

const answering = (method: 'get' | 'delete', text: string): Route<{ prefix: string }> => ({
  operation: { method, path: '/things', operationId: `${method}Things`, summary: text, errors: [] },
  handler:
    ({ prefix }) =>
    (_request, response) => {
      response.json({ said: `${prefix} ${text}` });
    },
});

const app = createApp({
  logger: pino({ level: 'silent' }),
  routers: [
    routerOf([answering('get', 'listed'), answering('delete', 'erased')], { prefix: 'things' }),
  ],
});

describe('routerOf', () => {
  it('serves each route where its operation says, with what the service gives its routes', async () => {
    await request(app).get('/things').expect(200, { said: 'things listed' });
    await request(app).delete('/things').expect(200, { said: 'things erased' });
  });

  it('answers 405 to any other method on the path, naming every method it takes', async () => {
    const response = await request(app).post('/things').expect(405);

    expect(response.headers.allow).toBe('GET, DELETE');
    expect(response.body.error.code).toBe('method_not_allowed');
  });
});
