import { isSpanContextValid } from '@opentelemetry/api';
import type { AgentTracer } from '../tracing/agent-tracer';
import * as semconv from '../tracing/semconv';
import { type ToolRegistry, runToolCall, ToolError } from '../tools';
import { turnsToMessages, type MemoryStore } from './memory/memory-store';
import type { ChatModel, Message, ModelTurn, TokenUsage, ToolCallPart, ToolCallResponsePart } from './model';
import { hasFinalAnswer, isStepCount, stoppedReasonOf, type StoppedReason } from './stop-conditions';

export interface AgentOptions {
  name: string;
  description: string;
  model: ChatModel;
  tools: ToolRegistry;
  memory: MemoryStore;
  tracer: AgentTracer;
  systemInstruction?: string;
  toolTimeoutMs: number;
  modelTimeoutMs: number;
}

export interface AgentRunInput {
  task: string;
  userId?: string;
  sessionId?: string;
  maxSteps: number;
  /** Aborted when the client goes away: pending model and tool calls are cancelled. */
  signal?: AbortSignal;
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
  usage: TokenUsage;
  /** The trace this run belongs to; null when tracing is off. */
  traceId: string | null;
}

const userMessage = (text: string): Message => ({ role: 'user', parts: [{ type: 'text', content: text }] });

function fallbackAnswer(steps: readonly AgentStep[]): string {
  return `I stopped after ${steps.length} step(s), the limit for this request, before reaching a final answer.`;
}

/** The tool-calling loop: ask the model, run the tools it asks for (concurrently), send the results back, repeat. */
export class Agent {
  constructor(private readonly options: AgentOptions) {}

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
    };
    return tracer.traceTask(taskInfo, async (taskSpan) => {
      const history = await this.readMemory(input.sessionId);
      const messages: Message[] = [...turnsToMessages(history), userMessage(input.task)];
      const usage: TokenUsage = { inputTokens: 0, outputTokens: 0 };
      const steps: AgentStep[] = [];
      const reachedStepLimit = isStepCount(input.maxSteps);

      let turn = await this.generate(messages, 0, usage, input.signal);
      let bestAnswer = turn.text;
      while (!hasFinalAnswer(turn) && !reachedStepLimit(steps.length)) {
        const stepNumber = steps.length + 1;
        const calls = turn.toolCalls;
        const askingTurn = turn;
        turn = await tracer.traceAgentStep({ stepNumber, stepType: 'reasoning' }, async () => {
          tracer.setAttribute(
            semconv.ATTR_AGENT_STEP_TOOL_CALLS,
            calls.map((call) => call.name),
          );
          const results = await Promise.all(calls.map((call) => this.executeTool(call, input.signal)));
          messages.push(askingTurn.message, { role: 'tool', parts: results });
          return this.generate(messages, stepNumber, usage, input.signal);
        });
        steps.push({ step: stepNumber, tools_called: calls.map((call) => call.name) });
        bestAnswer = turn.text ?? bestAnswer;
      }

      const stoppedReason = stoppedReasonOf(turn);
      const response = (stoppedReason === 'completed' ? turn.text : bestAnswer) ?? fallbackAnswer(steps);
      tracer.addEvent('agent.finished', {
        [semconv.ATTR_AGENT_STOPPED_REASON]: stoppedReason,
        [semconv.ATTR_AGENT_TOTAL_STEPS]: steps.length,
      });
      await this.writeMemory(input.sessionId, input.task, response);

      tracer.setAttributes(taskSpan, {
        [semconv.ATTR_AGENT_TOTAL_STEPS]: steps.length,
        [semconv.ATTR_AGENT_STOPPED_REASON]: stoppedReason,
        [semconv.ATTR_AGENT_MODEL_CALLS]: steps.length + 1,
        [semconv.ATTR_GEN_AI_USAGE_INPUT_TOKENS]: usage.inputTokens,
        [semconv.ATTR_GEN_AI_USAGE_OUTPUT_TOKENS]: usage.outputTokens,
      });
      tracer.recordContent(taskSpan, semconv.ATTR_GEN_AI_OUTPUT_MESSAGES, [
        { role: 'assistant', parts: [{ type: 'text', content: response }] },
      ]);
      const spanContext = taskSpan.spanContext();
      const traceId = isSpanContextValid(spanContext) ? spanContext.traceId : null;
      return { response, steps, totalSteps: steps.length, stoppedReason, usage, traceId };
    });
  }

  private generate(messages: Message[], stepNumber: number, usage: TokenUsage, signal?: AbortSignal): Promise<ModelTurn> {
    const { tracer, model, tools, systemInstruction, modelTimeoutMs } = this.options;
    const callInfo = {
      requestModel: model.modelName,
      providerName: model.providerName,
      stepNumber,
      serverAddress: model.endpoint.hostname,
      serverPort: Number(model.endpoint.port) || (model.endpoint.protocol === 'https:' ? 443 : 80),
      inputMessages: messages,
    };
    return tracer.traceLlmCall(callInfo, async (span) => {
      // Our own deadline per call: the SDK's `timeout` option leaves its timer running.
      const deadline = AbortSignal.timeout(modelTimeoutMs);
      const callSignal = signal ? AbortSignal.any([signal, deadline]) : deadline;
      const turn = await model.generate({ messages, tools: [...tools.declarations], systemInstruction, signal: callSignal });
      usage.inputTokens += turn.usage.inputTokens;
      usage.outputTokens += turn.usage.outputTokens;
      tracer.setAttributes(span, {
        [semconv.ATTR_GEN_AI_RESPONSE_MODEL]: turn.responseModel,
        [semconv.ATTR_GEN_AI_RESPONSE_ID]: turn.responseId,
        [semconv.ATTR_GEN_AI_RESPONSE_FINISH_REASONS]: turn.finishReasons,
        [semconv.ATTR_GEN_AI_USAGE_INPUT_TOKENS]: turn.usage.inputTokens,
        [semconv.ATTR_GEN_AI_USAGE_OUTPUT_TOKENS]: turn.usage.outputTokens,
      });
      tracer.recordContent(span, semconv.ATTR_GEN_AI_OUTPUT_MESSAGES, [turn.message]);
      return turn;
    });
  }

  /** A failing tool is data for the model: its error becomes the call's result, and the loop goes on. */
  private async executeTool(call: ToolCallPart, signal?: AbortSignal): Promise<ToolCallResponsePart> {
    const { tracer, tools, toolTimeoutMs } = this.options;
    const tool = tools.get(call.name);
    const callInfo = {
      toolName: call.name,
      known: tool !== undefined,
      callId: call.id,
      description: tool?.description,
      arguments: call.arguments,
    };
    try {
      const result = await tracer.traceToolCall(callInfo, async (span) => {
        const output = await runToolCall(tools, call, { timeoutMs: toolTimeoutMs, signal });
        tracer.setAttributes(span, { [semconv.ATTR_TOOL_RESULT_SIZE]: JSON.stringify(output).length });
        tracer.recordContent(span, semconv.ATTR_GEN_AI_TOOL_CALL_RESULT, output);
        return output;
      });
      return { type: 'tool_call_response', id: call.id, name: call.name, response: result };
    } catch (error) {
      const toolError = error instanceof ToolError ? error : new ToolError('tool_failed', String(error));
      return {
        type: 'tool_call_response',
        id: call.id,
        name: call.name,
        response: { error: { type: toolError.errorType, message: toolError.message } },
      };
    }
  }

  private readMemory(sessionId: string | undefined) {
    const { tracer, memory } = this.options;
    return tracer.traceMemoryOperation({ operation: 'read', memoryType: memory.memoryType }, async (span) => {
      const turns = sessionId ? await memory.read(sessionId) : [];
      tracer.setAttributes(span, { [semconv.ATTR_MEMORY_RECORDS_FOUND]: turns.length });
      return turns;
    });
  }

  private writeMemory(sessionId: string | undefined, task: string, response: string) {
    const { tracer, memory } = this.options;
    return tracer.traceMemoryOperation({ operation: 'write', memoryType: memory.memoryType }, async (span) => {
      if (sessionId) await memory.append(sessionId, { task, response, at: new Date().toISOString() });
      tracer.setAttributes(span, { [semconv.ATTR_MEMORY_RECORDS_WRITTEN]: sessionId ? 1 : 0 });
    });
  }
}
