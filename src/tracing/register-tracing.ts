import { loadConfig, type ServiceDefaults } from '../config';
import { knownSecretsOf } from './known-secrets';

/** Starts the SDK for a service, unless OTEL_SDK_DISABLED=true. Runs before the app is loaded. */
export function registerTracing(defaults: ServiceDefaults): void {
  const config = loadConfig(process.env, defaults);
  if (config.tracing.sdkDisabled) return;
  // Required only when enabled: OTEL_SDK_DISABLED=true must not pay for loading the SDK.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  (require('./sdk') as typeof import('./sdk')).startTracing(config.tracing, knownSecretsOf(config));
}
