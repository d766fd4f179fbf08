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

/** Parse, Bind, Describe, Execute, Close, Flush: an extended query goes on until its Sync. */
const EXTENDED_QUERY_MESSAGES = new Set([...'PBDECH'].map((letter) => letter.charCodeAt(0)));

/**
 * pglite-socket queues each protocol message on its own, so two connections' extended queries
 * (every query with `$n` parameters) interleave on the one backend and break each other ("portal
 * does not exist"; electric-sql/pglite#1046). Its queue already keeps a connection's turn while a
 * transaction is open: an extended query up to its Sync is made to look like one, so it keeps its
 * turn too.
 */
function keepExtendedQueriesWhole(db: PGlite): void {
  let inExtendedQuery = false;
  const inTransaction = db.isInTransaction.bind(db);
  const execute = db.execProtocolRawStream.bind(db);
  db.isInTransaction = () => inExtendedQuery || inTransaction();
  db.execProtocolRawStream = (message, options) => {
    inExtendedQuery = EXTENDED_QUERY_MESSAGES.has(message[0]!);
    return execute(message, options);
  };
}

async function main() {
  const [port = '0', dataDir] = process.argv.slice(2);
  const db = await PGlite.create(dataDir);
  keepExtendedQueriesWhole(db);
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
