/**
 * `node --require ./dist/toolservice/register.js`: the same tracing setup, with the tool service's
 * defaults.
 */
import { TOOL_SERVICE_DEFAULTS } from '../service-defaults';
import { registerTracing } from '../tracing/setup/register-tracing';

registerTracing(TOOL_SERVICE_DEFAULTS);
