import type { Context, SpanContext } from '@opentelemetry/api';
import type {
  AgentStepInfo,
  DelegationInfo,
  LlmCallInfo,
  MemoryOperationInfo,
  TaskSpanInfo,
  ToolCallInfo,
} from './conventions/span-info';
import { traceDelegation } from './recorders/delegation-recorder';
import { recordFeedback, type FeedbackInfo } from './recorders/feedback-recorder';
import {
  traceMcpClientCall,
  traceMcpServerCall,
  type McpCallRecording,
  type McpToolCallInfo,
} from './recorders/mcp-call-recorder';
import { traceMemoryOperation, type MemoryRecording } from './recorders/memory-recorder';
import { traceModelCall, type ModelCallRecording } from './recorders/model-call-recorder';
import { SpanRecorder, type SpanRecorderOptions } from './recorders/span-recorder';
import { traceAgentStep } from './recorders/step-recorder';
import { traceTask, type TaskRecording } from './recorders/task-recorder';
import { traceToolCall, type ToolRecording } from './recorders/tool-recorder';

type Work<Recording, T> = (recording: Recording) => Promise<T> | T;

/**
 * The agent's tracing API, after the workshop's `AgentTracer`: one method per kind of agent work.
 * Each runs the work as the active span (see `withSpan` for the failure contract) and hands it a
 * small recording in the work's own words (`call.turn(...)`, `run.finished(...)`): the agent never
 * names an attribute, an event or a metric. Each kind has one owner in `recorders/`, which starts
 * its span, sets its attributes, records its metrics and cost, and ends it.
 */
export class AgentTracer {
  private readonly recorder: SpanRecorder;

  constructor(options: SpanRecorderOptions = {}) {
    this.recorder = new SpanRecorder(options);
  }

  /** Whether content is recorded for the current request (see `SpanRecorder.capturesContent`). */
  capturesContent(): boolean {
    return this.recorder.capturesContent();
  }

  traceTask<T>(info: TaskSpanInfo, work: Work<TaskRecording, T>): Promise<T> {
    return traceTask(this.recorder, info, work);
  }

  traceLlmCall<T>(info: LlmCallInfo, work: Work<ModelCallRecording, T>): Promise<T> {
    return traceModelCall(this.recorder, info, work);
  }

  traceAgentStep<T>(info: AgentStepInfo, work: () => Promise<T> | T): Promise<T> {
    return traceAgentStep(this.recorder, info, work);
  }

  traceToolCall<T>(info: ToolCallInfo, work: Work<ToolRecording, T>): Promise<T> {
    return traceToolCall(this.recorder, info, work);
  }

  traceMemoryOperation<T>(info: MemoryOperationInfo, work: Work<MemoryRecording, T>): Promise<T> {
    return traceMemoryOperation(this.recorder, info, work);
  }

  traceDelegation<T>(info: DelegationInfo, work: () => Promise<T>): Promise<T> {
    return traceDelegation(this.recorder, info, work);
  }

  traceMcpClientCall<T extends { isError?: boolean }>(
    info: McpToolCallInfo,
    work: Work<McpCallRecording, T>,
  ): Promise<T> {
    return traceMcpClientCall(this.recorder, info, work);
  }

  traceMcpServerCall<T extends { isError?: boolean }>(
    info: McpToolCallInfo,
    parent: Context,
    work: Work<McpCallRecording, T>,
  ): Promise<T> {
    return traceMcpServerCall(this.recorder, info, parent, work);
  }

  recordFeedback(run: SpanContext, feedback: FeedbackInfo): void {
    recordFeedback(this.recorder, run, feedback);
  }
}
