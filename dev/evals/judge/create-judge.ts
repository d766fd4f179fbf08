import { readFileSync } from 'node:fs';
import type { Tracer } from '@opentelemetry/api';
import { createGeminiModel, type GeminiSdk } from '../../../src/models/gemini-sdk';
import { ModelPricing } from '../../../src/models/model-pricing';
import { AgentTracer } from '../../../src/tracing/agent-tracer';
import { ModelJudge } from './model-judge';

/** The judge's rubric, its system instruction. */
const RUBRIC_FILE = 'evals/rubric.md';
/** The key the emulator is sent: it takes any. Never a real credential. */
const OFFLINE_API_KEY = 'offline-emulator';

export interface JudgeModel {
  sdk: GeminiSdk;
  modelName: string;
  /** The Gemini API's key; without it, the emulator at `emulatorUrl`. */
  apiKey: string | undefined;
  emulatorUrl: string | undefined;
}

/** The judge on the Gemini API with a key, else on the emulator; its spans on `tracer`. */
export async function createJudge(
  { sdk, modelName, apiKey, emulatorUrl }: JudgeModel,
  tracer: Tracer,
): Promise<ModelJudge> {
  return new ModelJudge({
    model: await createGeminiModel({
      sdk,
      apiKey: apiKey ?? OFFLINE_API_KEY,
      modelName,
      baseUrl: apiKey ? undefined : emulatorUrl,
    }),
    rubric: readFileSync(RUBRIC_FILE, 'utf8'),
    tracer: new AgentTracer({ tracer }),
    pricing: new ModelPricing(),
  });
}
