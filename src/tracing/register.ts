/**
 * Loaded with `node --require ./dist/tracing/register.js` before the agent service, so that the
 * instrumentations patch `http` and `express` before anything requires them. The one file of the
 * preload outside setup/: the path the command line, the Dockerfile and the scripts name.
 */
import { AGENT_SERVICE_DEFAULTS } from '../service-defaults';
import { registerTracing } from './setup/register-tracing';

registerTracing(AGENT_SERVICE_DEFAULTS);
