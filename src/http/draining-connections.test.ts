import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { openRawConnection, type RawConnection } from '../../test/support/raw-http';
import { until } from '../../test/support/until';
import { trackConnections, type DrainingConnections } from './draining-connections';

const answers = (connection: RawConnection) => connection.text.split('HTTP/1.1 ').length - 1;
const send = (connection: RawConnection, path: string) =>
  connection.socket.write(`GET ${path} HTTP/1.1\r\nHost: localhost\r\n\r\n`);
/** True once `count` answers have arrived; false if the connection closed first. */
async function answered(connection: RawConnection, count: number): Promise<boolean> {
  await until(() => answers(connection) >= count || connection.closed, `${count} answer(s)`);
  return answers(connection) >= count;
}
const closedByServer = (connection: RawConnection) =>
  until(() => connection.closed, 'the server to close the connection');

const openConnectionCount = () =>
  new Promise<number>((resolve, reject) =>
    server.getConnections((error, count) => (error ? reject(error) : resolve(count))),
  );

let server: Server;
let connections: DrainingConnections;
let url: string;
let release: (() => void) | undefined;
beforeEach(async () => {
  release = undefined;
  // `/slow` answers when the test says so.
  server = createServer((request, response) => {
    if (request.url === '/slow') release = () => response.end('slow');
    else response.end('ok');
  });
  connections = trackConnections(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterEach(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('trackConnections', () => {
  it('answers with Connection: close once draining, an answer already in progress included, and the connection then closes', async () => {
    const connection = await openRawConnection(url);
    send(connection, '/slow');
    while (!release) await new Promise((resolve) => setTimeout(resolve, 5));

    connections.closeAfterAnswers();
    release();

    await closedByServer(connection);
    expect(connection.text).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(connection.text).toMatch(/\r\nConnection: close\r\n/i);
  });

  it('reads a request already sent on an idle connection before closing idle connections', async () => {
    const connection = await openRawConnection(url);
    send(connection, '/first');
    await answered(connection, 1);
    connections.closeAfterAnswers();

    // Sent, and not read yet: the event loop has not turned since.
    send(connection, '/second');
    await connections.closeIdleWhenQuiet(0);

    expect(await answered(connection, 2)).toBe(true);
    expect(connection.text).toMatch(/ok$/);
  });

  it('keeps idle connections open while requests keep starting, and closes them once quiet', async () => {
    const idle = await openRawConnection(url);
    send(idle, '/first');
    await answered(idle, 1);
    const busy = await openRawConnection(url);
    send(busy, '/now');
    await answered(busy, 1);
    connections.closeAfterAnswers();

    await connections.closeIdleWhenQuiet(60_000);
    // A closed socket leaves the server's count within a turn or two of the event loop.
    for (let turn = 0; turn < 3; turn += 1) await new Promise((resolve) => setImmediate(resolve));
    expect(await openConnectionCount()).toBe(2);

    await connections.closeIdleWhenQuiet(0);
    await closedByServer(idle);
    busy.socket.destroy();
  });

  it('resolves allAnswered once every response has closed', async () => {
    const connection = await openRawConnection(url);
    send(connection, '/slow');
    while (!release) await new Promise((resolve) => setTimeout(resolve, 5));
    let answered = false;
    const done = connections.allAnswered().then(() => (answered = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(answered).toBe(false);

    release();
    await done;
    connection.socket.destroy();
  });
});
