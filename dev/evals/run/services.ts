import { startGeminiEmulator, type GeminiEmulator } from '../../../src/emulator/emulator-server';
import { startOtlpReceiver, type OtlpReceiver } from '../../otlp/receiver';
import {
  spawnService,
  stopAllServices,
  waitForMcpTools,
  type SpawnedService,
} from '../../process/spawn-service';

/** Where the cases are sent, and where their spans arrive (none: a target that exports elsewhere). */
export interface EvalServices {
  agentUrl: string;
  receiver: OtlpReceiver | undefined;
  /** The emulator the services (and the judge) call offline. */
  emulator: GeminiEmulator | undefined;
  stop(): Promise<void>;
}

/** The model the services run on: the emulator offline, the Gemini API with a key. */
export interface ModelChoice {
  apiKey: string | undefined;
  modelName: string;
}

/**
 * A run's deadline offline (`REQUEST_TIMEOUT_MS`), short so that the deadline case ends quickly:
 * the emulator answers the other cases in well under a second. Against the real API the service's
 * own default stays.
 */
const OFFLINE_REQUEST_TIMEOUT_MS = 10_000;

/**
 * The three services as local processes, as `npm run demo` starts them, on the emulator offline
 * (one, in this process, for all three) or on the Gemini API; their spans to a receiver in this
 * process, with content capture on, so that tool arguments can be matched.
 */
export async function startLocalServices(
  { apiKey, modelName }: ModelChoice,
  otlpPort = 0,
): Promise<EvalServices> {
  const receiver = await startOtlpReceiver({ port: otlpPort });
  const emulator = apiKey ? undefined : await startGeminiEmulator();
  const stopAll = async () => {
    await stopAllServices();
    await emulator?.close();
    await receiver.stop();
  };
  const env = (serviceName: string) => ({
    OTEL_SERVICE_NAME: serviceName,
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
    OTEL_BSP_SCHEDULE_DELAY: '50',
    OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT: 'true',
    GEMINI_MODEL: modelName,
    ...(emulator
      ? { GEMINI_BASE_URL: emulator.url, REQUEST_TIMEOUT_MS: String(OFFLINE_REQUEST_TIMEOUT_MS) }
      : { GEMINI_API_KEY: apiKey }),
  });
  try {
    const [subAgent, tools] = await Promise.all([
      spawnService({
        entry: 'dist/subagent/server.js',
        register: 'dist/subagent/register.js',
        env: env('sub-agent-service'),
      }),
      spawnService({
        entry: 'dist/toolservice/server.js',
        register: 'dist/toolservice/register.js',
        env: env('tool-service'),
      }),
    ]);
    const agent: SpawnedService = await spawnService({
      env: {
        ...env('agent-service'),
        SUB_AGENT_URL: subAgent.url,
        MCP_SERVER_URL: `${tools.url}/mcp`,
      },
    });
    await waitForMcpTools(agent);
    return { agentUrl: agent.url, receiver, emulator, stop: stopAll };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/**
 * A service already running at `target`. Its spans reach the runner only if it exports them to the
 * runner's receiver, listening on `otlpPort`; without one, only what the answers say is scored.
 */
export async function targetServices(
  target: string,
  otlpPort: number | undefined,
): Promise<EvalServices> {
  const receiver = otlpPort === undefined ? undefined : await startOtlpReceiver({ port: otlpPort });
  return {
    agentUrl: target.replace(/\/+$/, ''),
    receiver,
    emulator: undefined,
    stop: async () => receiver?.stop(),
  };
}
