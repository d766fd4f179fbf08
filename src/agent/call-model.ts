import type { AgentTracer } from '../tracing/agent-tracer';
import { withoutPropagation } from '../tracing/propagation/propagators';
import { startDeadline } from '../deadline';
import type {
  ChatModel,
  GenerateRequest,
  Message,
  ModelTurn,
  TokenUsage,
  ToolDeclaration,
  TurnChunk,
} from '../models/model';
import { ModelError } from '../models/model-errors';
import type { ModelPricing } from '../models/model-pricing';
import { isRetryable, retryDelayMs, type RetryPolicy } from './retry-policy';
import type { RunBudget } from './run-budget';
import { assertUsableTurn } from './usable-turn';
import { turnFinishReason } from './finish-reason';

export interface ModelCaller {
  model: ChatModel;
  tracer: AgentTracer;
  tools: readonly ToolDeclaration[];
  systemInstruction?: string;
  /** Deadline of one attempt; the run's own deadline still applies. */
  timeoutMs: number;
  retryPolicy: RetryPolicy;
  /** Send trace headers and baggage to the model API too (off: they are for our own services). */
  propagateContext?: boolean;
  /** Prices of the models; without one, or for a model it has no price for, calls have no cost. */
  pricing?: ModelPricing;
}

/** Tokens summed over a run, and their cost in US dollars: null when the model has no price. */
export interface RunUsage extends TokenUsage {
  costUsd: number | null;
}

export interface ModelCall {
  messages: Message[];
  stepNumber: number;
  budget: RunBudget;
  /** Summed over the run. */
  usage: RunUsage;
  /** Given: the call is streamed, and this sees the model's text as it arrives. */
  onTextDelta?: (text: string) => void;
}

/** What one streamed attempt has seen so far. */
interface StreamAttempt {
  chunks: number;
  firstChunkMs: number | undefined;
}

function generateOnce(
  caller: ModelCaller,
  request: GenerateRequest,
  onTextDelta: ((text: string) => void) | undefined,
  progress: StreamAttempt,
): Promise<ModelTurn> {
  const { model } = caller;
  const started = performance.now();
  const onChunk = ({ textDelta }: TurnChunk) => {
    progress.chunks += 1;
    progress.firstChunkMs ??= performance.now() - started;
    if (textDelta) onTextDelta?.(textDelta);
  };
  const generate = () =>
    onTextDelta ? model.generateStream({ ...request, onChunk }) : model.generate(request);
  return caller.propagateContext ? generate() : withoutPropagation(generate);
}

/**
 * One model turn, as one `llm.generate` span: rate limits and the API's own failures are retried
 * with backoff (each retry an event on the span, each attempt its own HTTP client span), within
 * the run's deadline and model-call budget. A turn the loop cannot use fails the span.
 */
export function callModel(
  caller: ModelCaller,
  { messages, stepNumber, budget, usage, onTextDelta }: ModelCall,
): Promise<ModelTurn> {
  const { model, tracer, retryPolicy } = caller;
  const callInfo = {
    requestModel: model.modelName,
    providerName: model.providerName,
    stepNumber,
    endpoint: model.endpoint,
    inputMessages: messages,
    systemInstruction: caller.systemInstruction,
  };
  return tracer.traceLlmCall(callInfo, async (call) => {
    for (let attempt = 1; ; attempt += 1) {
      budget.takeModelCall();
      // Our own deadline per attempt, released as soon as it is over: the SDK's `timeout` option
      // leaves its timer running.
      const deadline = startDeadline(caller.timeoutMs, budget.signal);
      const progress: StreamAttempt = { chunks: 0, firstChunkMs: undefined };
      let failure: unknown;
      try {
        const request = {
          messages,
          tools: caller.tools,
          systemInstruction: caller.systemInstruction,
          signal: deadline.signal,
        };
        const turn = await generateOnce(caller, request, onTextDelta, progress);
        const costUsd = caller.pricing?.costOf(model.providerName, model.modelName, turn.usage);
        usage.inputTokens += turn.usage.inputTokens;
        usage.outputTokens += turn.usage.outputTokens;
        if (costUsd !== undefined) usage.costUsd = (usage.costUsd ?? 0) + costUsd;
        call.turn(turn, { costUsd, finishReason: turnFinishReason(turn) });
        assertUsableTurn(turn);
        return turn;
      } catch (error) {
        failure = error;
        budget.throwIfStopped();
        // Once the stream has begun, its text has reached the client: another attempt would
        // repeat it.
        if (
          progress.chunks > 0 ||
          !(error instanceof ModelError) ||
          !isRetryable(error) ||
          attempt >= retryPolicy.maxAttempts
        )
          throw error;
        const delayMs = retryDelayMs(attempt, retryPolicy, error.options.retryAfterSeconds);
        // A wait that would outlive the request is no retry at all: fail now, with the server's
        // hint.
        if (delayMs >= budget.remainingMs()) throw error;
        call.retry({
          attempt: attempt + 1,
          errorType: error.errorType,
          status: error.options.status,
          delayMs,
        });
        await budget.wait(delayMs);
      } finally {
        deadline.dispose();
        if (onTextDelta) call.streamProgress({ ...progress, failure });
      }
    }
  });
}
