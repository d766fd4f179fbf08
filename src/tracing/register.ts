/**
 * Loaded with `node --require ./dist/tracing/register.js` before the app, so that the
 * instrumentations patch `http` and `express` before anything requires them.
 */
import { loadConfig } from '../config';

const { tracing } = loadConfig();
if (!tracing.sdkDisabled) {
  // Required only when enabled: OTEL_SDK_DISABLED=true must not pay for loading the SDK.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  (require('./sdk') as typeof import('./sdk')).startTracing(tracing);
}
