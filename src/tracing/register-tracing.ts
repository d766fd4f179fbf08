import { loadConfig, type ServiceDefaults } from '../config';

/** Starts the SDK for a service, unless OTEL_SDK_DISABLED=true. Runs before the app is loaded. */
export function registerTracing(defaults: ServiceDefaults): void {
  const { tracing } = loadConfig(process.env, defaults);
  if (tracing.sdkDisabled) return;
  // Required only when enabled: OTEL_SDK_DISABLED=true must not pay for loading the SDK.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  (require('./sdk') as typeof import('./sdk')).startTracing(tracing);
}
