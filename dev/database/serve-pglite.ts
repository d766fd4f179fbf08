/**
 * PostgreSQL compiled to WebAssembly (PGlite), served on a loopback port so that `pg` and its
 * instrumentation talk to it as to any server. A process of its own: PGlite loads itself with
 * dynamic `import()`, which Jest's module system does not run, and killing the process is what a
 * database going away looks like. With a data directory, a new process on the same port serves
 * the same data.
 *
 * Usage: node serve-pglite.js [port] [data-directory]; prints "listening on <port>" when ready.
 */
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

// PGlite runs one backend: connections take turns query by query (a transaction keeps its turn).
const MAX_CONNECTIONS = 100;

async function main() {
  const [port = '0', dataDir] = process.argv.slice(2);
  const db = await PGlite.create(dataDir);
  const server = new PGLiteSocketServer({
    db,
    port: Number(port),
    host: '127.0.0.1',
    maxConnections: MAX_CONNECTIONS,
  });
  await server.start();
  console.log(`listening on ${server.getServerConn().split(':').at(-1)}`);
  const stop = async () => {
    await server.stop();
    await db.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop());
  process.once('SIGINT', () => void stop());
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
