import { createKeyMatcher, presentedKey } from '../api-keys';
import { loadConfig, type ServiceDefaults } from '../config';
import type { IsTrustedCaller } from './caller-trust';
import { knownSecretsOf } from './known-secrets';

/** With `TRACE_CONTEXT_TRUST=internal`, a caller is trusted when it presents one of `INTERNAL_API_KEYS`. */
function internalCallerCheck(internalApiKeys: readonly string[]): IsTrustedCaller {
  const isInternalKey = createKeyMatcher(internalApiKeys);
  return (header) => isInternalKey(presentedKey(header('authorization'), header('x-api-key')));
}

/** Starts the SDK for a service, unless OTEL_SDK_DISABLED=true. Runs before the app is loaded. */
export function registerTracing(defaults: ServiceDefaults): void {
  const config = loadConfig(process.env, defaults);
  const { tracing, internalApiKeys } = config;
  if (tracing.sdkDisabled) return;
  const isTrustedCaller = tracing.contextTrust === 'internal' ? internalCallerCheck(internalApiKeys) : undefined;
  // Required only when enabled: OTEL_SDK_DISABLED=true must not pay for loading the SDK.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  (require('./sdk') as typeof import('./sdk')).startTracing(tracing, { isTrustedCaller, knownSecrets: knownSecretsOf(config) });
}
