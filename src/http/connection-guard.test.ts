import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { rawExchange } from '../../test/support/raw-http';
import { guardConnections, type EdgeRefusalReason } from './connection-guard';

const refused: EdgeRefusalReason[] = [];
let server: Server;
let url: string;
beforeAll(async () => {
  server = createServer(
    // Answers a little later, so that what is pipelined behind a request finds it in flight.
    guardConnections((_request, response) => void setTimeout(() => response.end('ok'), 50), {
      maxRequestsPerConnection: 1,
      maxBodyBytes: 1024,
      onRefused: (reason) => refused.push(reason),
    }),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => refused.splice(0));

const GET = 'GET / HTTP/1.1\r\nHost: localhost\r\n\r\n';

describe('guardConnections', () => {
  it('tells whom it is told to of a request refused behind the one in flight on its connection', async () => {
    const answer = await rawExchange(url, { write: (socket) => socket.write(GET + GET) });
    expect(answer.statuses).toEqual([200, 503]);
    expect(refused).toEqual(['connection_requests_in_flight']);
  });

  it('tells no one of the refusals that are the client’s errors, not overload', async () => {
    const tooLarge = 'POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 2048\r\n\r\n';
    const answer = await rawExchange(url, { write: (socket) => socket.write(tooLarge) });
    expect(answer.statuses).toEqual([413]);
    expect(refused).toEqual([]);
  });
});
