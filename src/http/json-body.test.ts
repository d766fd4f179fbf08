import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import express from 'express';
import { firstJsonBody, rawExchange, rawPost } from '../../test/support/raw-http';
import { createErrorHandler } from './errors';
import { jsonBody } from './json-body';
import { listen, urlOf } from './listen';

const BODY = JSON.stringify({ task: 'a task of a few words' });

let server: Server;
let url: string;
beforeAll(async () => {
  const app = express()
    .use(jsonBody({ limitBytes: 1_024, timeoutMs: 300 }))
    .post('/echo', (request, response) => void response.json(request.body))
    .use(createErrorHandler(() => undefined));
  server = await listen(app, 0, '127.0.0.1');
  url = urlOf(server);
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

/** Headers, then the body a byte every 20 ms: never idle, always late. */
const trickle = (socket: Socket) => {
  socket.write(
    rawPost('/echo', '', { 'Content-Type': 'application/json', 'Content-Length': '1000' }),
  );
  const timer = setInterval(() => socket.destroyed || socket.write(' '), 20);
  socket.once('close', () => clearInterval(timer));
};

describe('jsonBody', () => {
  it('answers 408 client_timeout when the body is still arriving at its deadline, and closes the connection', async () => {
    const answer = await rawExchange(url, { write: trickle });

    expect(answer.statuses).toEqual([408]);
    expect(answer.text).toMatch(/connection: close\r\n/i);
    expect(firstJsonBody(answer.text)).toEqual({
      error: { code: 'client_timeout', message: 'The request body did not arrive within 0.3 s.' },
    });
    expect(answer.closedByServer).toBe(true);
  });

  it('reads a body that arrives in time', async () => {
    const answer = await rawExchange(url, {
      write: (socket) =>
        socket.write(
          rawPost('/echo', BODY, { 'Content-Type': 'application/json', Connection: 'close' }),
        ),
    });
    expect(answer.statuses).toEqual([200]);
    expect(firstJsonBody(answer.text)).toEqual(JSON.parse(BODY));
  });
});
