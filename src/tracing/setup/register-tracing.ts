import { createKeyMatcher, presentedKey } from '../../api-keys';
import type { ServiceDefaults } from '../../service-defaults';
import { exitOnStartFailure } from '../../env';
import { logFormatFor } from '../../short-log-lines';
import { setLogLineFormat } from './exporter-log';
import type { IsTrustedCaller } from '../propagation/caller-trust';
import { loadTracingConfig, type TracingConfig } from './tracing-config';

/**
 * With `TRACE_CONTEXT_TRUST=internal`, a caller is trusted when it presents one of
 * `INTERNAL_API_KEYS`.
 */
function internalCallerCheck(internalApiKeys: readonly string[]): IsTrustedCaller {
  const isInternalKey = createKeyMatcher(internalApiKeys);
  return (header) => isInternalKey(presentedKey(header('authorization'), header('x-api-key')));
}

function readConfig(defaults: ServiceDefaults): TracingConfig {
  try {
    return loadTracingConfig(process.env, defaults);
  } catch (error) {
    // A bad variable ends start-up here, in one line, even with OTEL_SDK_DISABLED=true.
    return exitOnStartFailure(error);
  }
}

/**
 * Starts the SDK for a service, unless OTEL_SDK_DISABLED=true. Runs in the `--require` preload,
 * before the application is loaded, and reads only what tracing needs.
 */
export function registerTracing(defaults: ServiceDefaults): void {
  const tracing = readConfig(defaults);
  setLogLineFormat(logFormatFor(tracing.environment));
  if (tracing.sdkDisabled) return;
  const isTrustedCaller =
    tracing.contextTrust === 'internal' ? internalCallerCheck(tracing.internalApiKeys) : undefined;
  // Required only when enabled: OTEL_SDK_DISABLED=true must not pay for loading the SDK.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  (require('./sdk') as typeof import('./sdk')).startTracing(tracing, { isTrustedCaller });
}
