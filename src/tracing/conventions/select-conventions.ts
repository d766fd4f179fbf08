import type { GenAiConventions, GenAiConventionsMode } from './conventions';
import { LATEST_CONVENTIONS } from './latest';
import { WORKSHOP_CONVENTIONS } from './workshop';

/** The naming table of a mode (see tracing-config.ts for how the mode is chosen). */
export const conventionsFor = (mode: GenAiConventionsMode): GenAiConventions =>
  mode === 'latest' ? LATEST_CONVENTIONS : WORKSHOP_CONVENTIONS;
