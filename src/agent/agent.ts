import type { SpanContext } from '@opentelemetry/api';
import { LIMITS } from '../limits';
import type { AgentTracer } from '../tracing/agent-tracer';
import type { TaskRecording } from '../tracing/recorders/task-recorder';
import { type ToolRegistry, runToolCall, ToolError } from '../tools';
import { boundToolResult } from '../tools/bound-result';
import { turnsToMessages, type MemoryStore } from './memory/memory-store';
import { recalledMessage, RunMemory, type RunWarning } from './memory/run-memory';
import type {
  ChatModel,
  Message,
  ModelTurn,
  ToolCallPart,
  ToolCallResponsePart,
} from '../models/model';
import { callModel, type ModelCall, type ModelCaller, type RunUsage } from './call-model';
import type { ModelPricing } from '../models/model-pricing';
import { ModelError } from '../models/model-errors';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry-policy';
import { RunBudget } from './run-budget';
import { runFinishReason } from './finish-reason';
import {
  hasFinalAnswer,
  isStepCount,
  stoppedReasonOf,
  type StoppedReason,
} from './stop-conditions';

export interface AgentOptions {
  name: string;
  description: string;
  model: ChatModel;
  tools: ToolRegistry;
  memory: MemoryStore;
  /** Told of every failed memory operation; the run itself goes on without memory. */
  onMemoryFailure?: (error: unknown, operation: string) => void;
  tracer: AgentTracer;
  systemInstruction?: string;
  toolTimeoutMs: number;
  modelTimeoutMs: number;
  /** The whole run's deadline, whatever the model does. */
  requestTimeoutMs?: number;
  /** Model calls one run may make, retries included. */
  maxModelCalls?: number;
  retryPolicy?: RetryPolicy;
  /** Tool results longer than this (as JSON) are cut before they reach the model or a span. */
  maxToolResultChars?: number;
  /**
   * Send trace headers and baggage to the model API (default: no, they are for our own services).
   */
  propagateToModelApi?: boolean;
  /** Model prices: each call's cost on its span, the run's in its answer. */
  pricing?: ModelPricing;
}

export interface AgentRunInput {
  task: string;
  userId?: string;
  sessionId?: string;
  /** Who is calling (e.g. which API key): with the user id, it scopes the session's memory. */
  memoryScope?: string;
  maxSteps: number;
  /** Aborted when the client goes away: pending model and tool calls are cancelled. */
  signal?: AbortSignal;
  /** Given: the run's model calls are streamed, and the observer sees the run as it goes. */
  observer?: RunObserver;
}

export interface ToolFinished {
  callId: string;
  name: string;
  /** False when the tool failed (its error went back to the model as the result). */
  ok: boolean;
  durationMs: number;
}

/** What a streamed run reports while it works: the same loop as any run, watched. */
export interface RunObserver {
  onStepStarted(step: number): void;
  onToolStarted(call: { callId: string; name: string }): void;
  onToolFinished(finished: ToolFinished): void;
  onTextDelta(text: string): void;
}

export interface AgentStep {
  step: number;
  tools_called: string[];
}

export interface AgentRunResult {
  response: string;
  steps: AgentStep[];
  totalSteps: number;
  stoppedReason: StoppedReason;
  usage: RunUsage;
  /** The trace this run belongs to; null when tracing is off. */
  traceId: string | null;
  /** What the run had to do without (memory); empty when nothing. */
  warnings: RunWarning[];
  /**
   * The run's `agent.task` span (its parent's when the trace is not sampled), for what is later
   * recorded about the run (feedback).
   */
  taskSpanContext?: SpanContext;
}

/** How many times a run asks the model again after a function call it could not form. */
const MALFORMED_CALL_RETRIES = LIMITS.malformedCallRetries;

const userMessage = (text: string): Message => ({
  role: 'user',
  parts: [{ type: 'text', content: text }],
});

const MALFORMED_CALL_CORRECTION = userMessage(
  'Your last function call could not be parsed. Call the function again with valid JSON arguments that match its schema, or answer in text.',
);

function fallbackAnswer(steps: readonly AgentStep[]): string {
  return `I stopped after ${steps.length} step(s), the limit for this request, before reaching a final answer.`;
}

/**
 * The tool-calling loop: ask the model, run the tools it asks for (concurrently), send the results
 * back, repeat.
 */
export class Agent {
  private readonly caller: ModelCaller;

  constructor(private readonly options: AgentOptions) {
    this.caller = {
      model: options.model,
      tracer: options.tracer,
      // Read at each model call: tools discovered after start-up (MCP) are declared from then on.
      get tools() {
        return options.tools.declarations;
      },
      systemInstruction: options.systemInstruction,
      timeoutMs: options.modelTimeoutMs,
      retryPolicy: options.retryPolicy ?? DEFAULT_RETRY_POLICY,
      propagateContext: options.propagateToModelApi ?? false,
      pricing: options.pricing,
    };
  }

  get name(): string {
    return this.options.name;
  }

  run(input: AgentRunInput): Promise<AgentRunResult> {
    const { tracer, model, name, description } = this.options;
    const taskInfo = {
      agentName: name,
      agentDescription: description,
      task: input.task,
      userId: input.userId,
      sessionId: input.sessionId,
      requestModel: model.modelName,
      maxSteps: input.maxSteps,
      systemInstruction: this.options.systemInstruction,
    };
    return tracer.traceTask(taskInfo, async (run) => {
      const budget = new RunBudget({
        timeoutMs: this.options.requestTimeoutMs ?? LIMITS.requestTimeoutMs,
        maxModelCalls: this.options.maxModelCalls ?? LIMITS.maxModelCalls,
        signal: input.signal,
      });
      try {
        return await this.runWithin(budget, input, run);
      } finally {
        budget.dispose();
      }
    });
  }

  private async runWithin(
    budget: RunBudget,
    input: AgentRunInput,
    run: TaskRecording,
  ): Promise<AgentRunResult> {
    const { tracer } = this.options;
    // A session belongs to whoever started it: knowing someone's `session_id` is not enough.
    const memory = new RunMemory(
      { store: this.options.memory, tracer, onFailure: this.options.onMemoryFailure },
      { caller: input.memoryScope, userId: input.userId, sessionId: input.sessionId },
    );
    const history = await memory.read();
    const recalled = await memory.search(input.task);
    const messages: Message[] = [
      ...(recalled.length ? [recalledMessage(recalled)] : []),
      ...turnsToMessages(history),
      userMessage(input.task),
    ];
    const usage: RunUsage = { inputTokens: 0, outputTokens: 0, costUsd: null };
    const steps: AgentStep[] = [];
    const reachedStepLimit = isStepCount(input.maxSteps);

    const { observer } = input;
    const next = (stepNumber: number) =>
      this.nextTurn(
        { messages, stepNumber, budget, usage, onTextDelta: observer?.onTextDelta },
        run,
      );
    let turn = await next(0);
    let bestAnswer = turn.text;
    while (!hasFinalAnswer(turn) && !reachedStepLimit(steps.length)) {
      const stepNumber = steps.length + 1;
      const calls = turn.toolCalls;
      const toolCalls = calls.map((call) => call.name);
      observer?.onStepStarted(stepNumber);
      const askingTurn = turn;
      turn = await tracer.traceAgentStep(
        { stepNumber, stepType: 'reasoning', toolCalls },
        async () => {
          const results = await Promise.all(
            calls.map((call) => this.executeTool(call, budget.signal, input)),
          );
          messages.push(askingTurn.message, { role: 'tool', parts: results });
          return next(stepNumber);
        },
      );
      steps.push({ step: stepNumber, tools_called: toolCalls });
      bestAnswer = turn.text ?? bestAnswer;
    }

    const stoppedReason = stoppedReasonOf(turn);
    const response =
      (stoppedReason === 'completed' ? turn.text : bestAnswer) ?? fallbackAnswer(steps);
    run.finished({
      stoppedReason,
      totalSteps: steps.length,
      modelCalls: budget.modelCallsMade,
      usage,
    });
    run.answer(response, runFinishReason(stoppedReason));
    await memory.write(input.task, response);

    return {
      response,
      steps,
      totalSteps: steps.length,
      stoppedReason,
      usage,
      traceId: run.spanContext?.traceId ?? null,
      taskSpanContext: run.spanContext,
      warnings: memory.warnings,
    };
  }

  /**
   * The model's next usable turn. A function call it could not form is sent back to it, a bounded
   * number of times; each correction is recorded on the run, whichever step it happens in.
   */
  private async nextTurn(call: ModelCall, run: TaskRecording): Promise<ModelTurn> {
    for (let correction = 0; ; correction += 1) {
      try {
        return await callModel(this.caller, call);
      } catch (error) {
        const malformed =
          error instanceof ModelError && error.errorType === 'model_malformed_function_call';
        if (!malformed || correction >= MALFORMED_CALL_RETRIES) throw error;
        run.malformedCallCorrected(correction + 1);
        call.messages.push(MALFORMED_CALL_CORRECTION);
      }
    }
  }

  /**
   * A failing tool is data for the model: its error becomes the call's result, and the loop goes
   * on.
   */
  private async executeTool(
    call: ToolCallPart,
    signal: AbortSignal,
    { memoryScope: callerScope, observer }: AgentRunInput,
  ): Promise<ToolCallResponsePart> {
    const started = performance.now();
    observer?.onToolStarted({ callId: call.id, name: call.name });
    const { part, ok } = await this.runTool(call, signal, callerScope);
    observer?.onToolFinished({
      callId: call.id,
      name: call.name,
      ok,
      durationMs: Math.round((performance.now() - started) * 100) / 100,
    });
    return part;
  }

  private async runTool(
    call: ToolCallPart,
    signal: AbortSignal,
    callerScope: string | undefined,
  ): Promise<{ part: ToolCallResponsePart; ok: boolean }> {
    const { tracer, tools, toolTimeoutMs } = this.options;
    const tool = tools.get(call.name);
    const callInfo = {
      toolName: call.name,
      known: tool !== undefined,
      callId: call.id,
      description: tool?.description,
      arguments: call.arguments,
      agentName: this.options.name,
    };
    try {
      const result = await tracer.traceToolCall(callInfo, async (recording) => {
        const output = await runToolCall(tools, call, {
          timeoutMs: toolTimeoutMs,
          signal,
          callerScope,
        });
        const bounded = boundToolResult(
          output,
          this.options.maxToolResultChars ?? LIMITS.maxToolResultChars,
        );
        recording.result(bounded);
        return bounded.result;
      });
      const part = { type: 'tool_call_response' as const, id: call.id, name: call.name };
      return { part: { ...part, response: result }, ok: true };
    } catch (error) {
      const toolError =
        error instanceof ToolError ? error : new ToolError('tool_failed', String(error));
      const response = { error: { type: toolError.errorType, message: toolError.message } };
      return {
        part: { type: 'tool_call_response', id: call.id, name: call.name, response },
        ok: false,
      };
    }
  }
}
