import type { AgentStepInfo } from '../conventions/span-info';
import * as semconv from '../semconv';
import type { SpanRecorder } from './span-recorder';

/** One round of the loop (`agent.step.reasoning`): the tools it calls, and the model call after. */
export function traceAgentStep<T>(
  recorder: SpanRecorder,
  info: AgentStepInfo,
  work: () => Promise<T> | T,
): Promise<T> {
  const recorded = () => ({
    attributes: {
      [semconv.ATTR_AGENT_STEP_NUMBER]: info.stepNumber,
      [semconv.ATTR_AGENT_STEP_TYPE]: info.stepType,
      [semconv.ATTR_AGENT_STEP_TOOL_CALLS]: info.toolCalls,
    },
  });
  return recorder.run(recorder.conventions.step(info), recorded, () => work());
}
