/**
 * `node --require ./dist/subagent/register.js`: the same tracing setup, with the sub-agent's
 * defaults.
 */
import { SUB_AGENT_SERVICE_DEFAULTS } from '../service-defaults';
import { registerTracing } from '../tracing/setup/register-tracing';

registerTracing(SUB_AGENT_SERVICE_DEFAULTS);
