/**
 * Loaded with `node --require ./dist/tracing/register.js` before the agent service, so that the
 * instrumentations patch `http` and `express` before anything requires them.
 */
import { AGENT_SERVICE_DEFAULTS } from '../service-defaults';
import { registerTracing } from './setup/register-tracing';

registerTracing(AGENT_SERVICE_DEFAULTS);
