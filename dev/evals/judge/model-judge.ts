import { callModel, type RunUsage } from '../../../src/agent/call-model';
import { DEFAULT_RETRY_POLICY } from '../../../src/agent/retry-policy';
import { RunBudget } from '../../../src/agent/run-budget';
import { LIMITS } from '../../../src/limits';
import type { ChatModel } from '../../../src/models/model';
import type { ModelPricing } from '../../../src/models/model-pricing';
import type { AgentTracer } from '../../../src/tracing/agent-tracer';
import {
  judgementPrompt,
  parseVerdict,
  type Judge,
  type JudgeRequest,
  type Verdict,
} from './judge';

export interface ModelJudgeOptions {
  model: ChatModel;
  /** The rubric (evals/rubric.md), the judge's system instruction. */
  rubric: string;
  /** The runner's own tracer: each judgement is an `llm.generate` span under its case's evaluation. */
  tracer: AgentTracer;
  pricing: ModelPricing;
  timeoutMs?: number;
}

/**
 * The judge as a model call, made the way the agent makes its own (`callModel`: the same span,
 * retries and cost), so that the judge's spans are in the trace and its cost is known, and kept
 * apart from the runs' cost in `usage`.
 */
export class ModelJudge implements Judge {
  /** Every judgement so far: tokens, and cost in US dollars (null without a price). */
  readonly usage: RunUsage & { calls: number } = {
    calls: 0,
    inputTokens: 0,
    outputTokens: 0,
    costUsd: null,
  };

  constructor(private readonly options: ModelJudgeOptions) {}

  async grade(request: JudgeRequest): Promise<Verdict> {
    const { model, rubric, tracer, pricing, timeoutMs = LIMITS.modelTimeoutMs } = this.options;
    const budget = new RunBudget({ timeoutMs, maxModelCalls: LIMITS.modelMaxAttempts });
    this.usage.calls += 1;
    try {
      const turn = await callModel(
        {
          model,
          tracer,
          tools: [],
          systemInstruction: rubric,
          timeoutMs,
          retryPolicy: DEFAULT_RETRY_POLICY,
          pricing,
        },
        {
          messages: [
            { role: 'user', parts: [{ type: 'text', content: judgementPrompt(request) }] },
          ],
          stepNumber: 0,
          budget,
          usage: this.usage,
        },
      );
      return parseVerdict(turn.text ?? '');
    } finally {
      budget.dispose();
    }
  }
}
