/**
 * The floor of a refusal on this machine: a bare Node HTTP server, in a process of its own, that
 * reads each request and answers 503 at once, with nothing else (no Express, no tracing, no
 * admission). The overload scenario floods it with the same clients as the service, so that what
 * the clients see of a refusal can be told apart from what the service adds to it. Prints its
 * port.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

const server = http.createServer((request, response) => {
  request.resume();
  request.on('end', () => {
    response.writeHead(503, { 'content-type': 'application/json', 'retry-after': '1' });
    response.end('{"error":{"code":"overloaded","message":"Refused."}}');
  });
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${(server.address() as AddressInfo).port}\n`);
});
process.once('SIGTERM', () => process.exit(0));
