/**
 * `npm run emulator`: the offline Gemini emulator on its own, for pointing any service at with
 * GEMINI_BASE_URL.
 */
import { z } from 'zod';
import { startGeminiEmulator } from './emulator-server';

/**
 * Its own small configuration: `EMULATOR_PORT` (else `PORT`, as the spawning scripts set it),
 * `HOST`, `EMULATOR_LATENCY_MS`.
 */
const settings = z.object({
  EMULATOR_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  PORT: z.coerce.number().int().min(0).max(65535).optional(),
  HOST: z.string().min(1).default('127.0.0.1'),
  EMULATOR_LATENCY_MS: z.coerce.number().int().min(0).default(0),
});

async function main(): Promise<void> {
  const setVariables = Object.fromEntries(
    Object.entries(process.env).filter(([, value]) => value !== undefined && value.trim() !== ''),
  );
  const env = settings.parse(setVariables);
  const port = env.EMULATOR_PORT ?? env.PORT ?? 8090;
  const host = env.HOST;
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
