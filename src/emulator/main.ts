/**
 * `npm run emulator`: the offline Gemini emulator on its own, for pointing any service at with
 * GEMINI_BASE_URL.
 */
import { parseVariables } from '../variables';
import { startGeminiEmulator } from './emulator-server';

/** Where it listens unless `PORT` and `HOST` say otherwise: beside the services, on this machine. */
const DEFAULT_PORT = 8090;
const DEFAULT_HOST = '127.0.0.1';

async function main(): Promise<void> {
  const env = parseVariables(process.env, ['PORT', 'HOST', 'EMULATOR_LATENCY_MS']);
  const port = env.PORT ?? DEFAULT_PORT;
  const host = env.HOST ?? DEFAULT_HOST;
  const latencyMs = env.EMULATOR_LATENCY_MS;
  const emulator = await startGeminiEmulator({ host, port, latencyMs });
  // The same JSON shape as the services' start-up line, so scripts find the URL the same way.
  process.stdout.write(
    `${JSON.stringify({ level: 30, time: Date.now(), url: emulator.url, msg: 'gemini emulator listening' })}\n`,
  );
  process.stderr.write(`Set GEMINI_BASE_URL=${emulator.url} to point a service at it.\n`);
  const stop = () => void emulator.close().then(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`emulator failed to start: ${(error as Error).message}\n`);
  process.exit(1);
});
