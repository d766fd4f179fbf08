/** `npm run emulator`: the offline Gemini emulator on its own, for pointing any service at with GEMINI_BASE_URL. */
import { startGeminiEmulator } from './emulator-server';

async function main(): Promise<void> {
  const port = Number(process.env.EMULATOR_PORT ?? process.env.PORT ?? 8090);
  const host = process.env.HOST ?? '127.0.0.1';
  const latencyMs = Number(process.env.EMULATOR_LATENCY_MS ?? 0);
  const emulator = await startGeminiEmulator({ host, port, latencyMs });
  // The same JSON shape as the services' start-up line, so scripts find the URL the same way.
  process.stdout.write(`${JSON.stringify({ level: 30, time: Date.now(), url: emulator.url, msg: 'gemini emulator listening' })}\n`);
  process.stderr.write(`Set GEMINI_BASE_URL=${emulator.url} to point a service at it.\n`);
  const stop = () => void emulator.close().then(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`emulator failed to start: ${(error as Error).message}\n`);
  process.exit(1);
});
