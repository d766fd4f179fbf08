/**
 * List prices of the Gemini API (AI Studio, paid tier, text, prompts up to 200k tokens), in US
 * dollars per million tokens. Written with no internet access, from stored copies of the pages
 * named in `source`, which quote Google's pricing page (https://ai.google.dev/gemini-api/docs/pricing);
 * `date` is the date the page gives for its data, else the day we read it. Check them against
 * Google's page before relying on them, or replace the table with `MODEL_PRICING_FILE`.
 */
export const GEMINI_PRICES = {
  'gemini-2.0-flash': {
    input_usd_per_million_tokens: 0.1,
    output_usd_per_million_tokens: 0.4,
    date: '2026-03-22',
    source: 'https://modelpedia.dev/google/gemini-2.0-flash',
  },
  'gemini-2.5-flash': {
    input_usd_per_million_tokens: 0.3,
    output_usd_per_million_tokens: 2.5,
    date: '2026-11-22',
    source: 'https://www.morphllm.com/gemini-api-pricing',
  },
  'gemini-2.5-flash-lite': {
    input_usd_per_million_tokens: 0.1,
    output_usd_per_million_tokens: 0.4,
    date: '2026-11-22',
    source: 'https://www.morphllm.com/gemini-api-pricing',
  },
  'gemini-2.5-pro': {
    input_usd_per_million_tokens: 1.25,
    output_usd_per_million_tokens: 10,
    date: '2026-11-22',
    source: 'https://www.morphllm.com/gemini-api-pricing',
  },
};
