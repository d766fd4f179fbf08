import type { Logger } from 'pino';
import type { AppConfig } from '../config';
import { startGeminiEmulator } from '../emulator/emulator-server';
import { createGeminiModel } from '../models/gemini-sdk';
import type { ChatModel } from '../models/model';
import { markPortUntraced, unmarkPortUntraced } from '../tracing/setup/untraced-ports';

export interface ChatModelHandle {
  model: ChatModel;
  offline: boolean;
  close(): Promise<void>;
}

/**
 * Sent in offline mode, where the SDK needs some key and the emulator accepts any. Never a real
 * credential.
 */
const OFFLINE_API_KEY = 'offline-emulator';

/**
 * With `GEMINI_API_KEY` set, the real API (or `GEMINI_BASE_URL`). Without it, offline mode: the
 * model at `GEMINI_BASE_URL` if given, else an emulator started here on a loopback port. Either
 * way the same SDK and the same code path run.
 */
export async function createChatModel(
  gemini: AppConfig['gemini'],
  logger: Logger,
): Promise<ChatModelHandle> {
  const { apiKey, baseUrl, model: modelName, sdk } = gemini;
  if (apiKey) {
    logger.info({ model: modelName, sdk, baseUrl: baseUrl ?? 'default' }, 'Using the Gemini API');
    return {
      model: await createGeminiModel({ sdk, apiKey, modelName, baseUrl }),
      offline: false,
      close: async () => {},
    };
  }
  if (baseUrl) {
    logger.info(
      { model: modelName, sdk, baseUrl },
      'Offline mode: no GEMINI_API_KEY, using the Gemini-compatible endpoint at GEMINI_BASE_URL',
    );
    return {
      model: await createGeminiModel({ sdk, apiKey: OFFLINE_API_KEY, modelName, baseUrl }),
      offline: true,
      close: async () => {},
    };
  }
  const emulator = await startGeminiEmulator({ latencyMs: gemini.emulatorLatencyMs });
  // The emulator stands in for a remote API: its side of each call is not part of our trace.
  markPortUntraced(emulator.port);
  logger.info(
    { model: modelName, sdk, baseUrl: emulator.url },
    'Offline mode: no GEMINI_API_KEY, started the Gemini emulator',
  );
  return {
    model: await createGeminiModel({
      sdk,
      apiKey: OFFLINE_API_KEY,
      modelName,
      baseUrl: emulator.url,
    }),
    offline: true,
    close: () => {
      unmarkPortUntraced(emulator.port);
      return emulator.close();
    },
  };
}
