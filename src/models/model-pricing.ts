import { z } from 'zod';
import { readVariableFile } from '../env';
import type { TokenUsage } from './model';
import { GEMINI_PRICES } from './gemini/gemini-prices';

/**
 * One model's list price, in US dollars per million tokens, with where and when it was read: a
 * price without a date and a source cannot be checked, and prices change.
 */
const priceSchema = z.strictObject({
  input_usd_per_million_tokens: z.number().nonnegative(),
  output_usd_per_million_tokens: z.number().nonnegative(),
  date: z.iso.date(),
  source: z.string().min(1),
});

/** `{ "<provider>": { "<model>": price } }`, the provider as in `gen_ai.provider.name`. */
export const pricingTableSchema = z.record(
  z.string().min(1),
  z.record(z.string().min(1), priceSchema),
);

export type PricingTable = z.infer<typeof pricingTableSchema>;

/** The prices this repository ships with: the Gemini models the service offers. */
export const DEFAULT_PRICING_TABLE: PricingTable = { 'gcp.gemini': GEMINI_PRICES };

/** What model calls cost, from a pricing table. */
export class ModelPricing {
  constructor(private readonly table: PricingTable = DEFAULT_PRICING_TABLE) {}

  hasPrice(providerName: string, modelName: string): boolean {
    return this.priceOf(providerName, modelName) !== undefined;
  }

  /**
   * The cost of the tokens in US dollars, or `undefined` when the model has no price: an unknown
   * cost is never reported as 0.
   */
  costOf(providerName: string, modelName: string, usage: TokenUsage): number | undefined {
    const price = this.priceOf(providerName, modelName);
    if (!price) return undefined;
    return (
      (usage.inputTokens * price.input_usd_per_million_tokens +
        usage.outputTokens * price.output_usd_per_million_tokens) /
      1_000_000
    );
  }

  /** Own keys only: a model named `constructor` has no price. */
  private priceOf(providerName: string, modelName: string) {
    const models = Object.hasOwn(this.table, providerName) ? this.table[providerName] : undefined;
    return models && Object.hasOwn(models, modelName) ? models[modelName] : undefined;
  }
}

/**
 * Reads a pricing table from `MODEL_PRICING_FILE`. Throws a `ConfigError` whose one line names the
 * file and what is wrong with it: start-up ends there, rather than run with prices nobody meant.
 */
export function readPricingFile(file: string): PricingTable {
  const { text, fail } = readVariableFile('MODEL_PRICING_FILE', file);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    fail(`is not JSON (${(error as Error).message})`);
  }
  const parsed = pricingTableSchema.safeParse(json);
  if (!parsed.success) {
    const [issue] = parsed.error.issues;
    fail(`${issue?.path.join('.') || 'the file'}: ${issue?.message}`);
  }
  return parsed.data as PricingTable;
}
