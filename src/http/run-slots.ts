import type { RequestHandler } from 'express';
import { overloaded, sendError } from './errors';
import { FEEDBACK_PATH } from './feedback-request';

/**
 * A ceiling on agent runs in flight in this process. Taking a slot never waits: when every slot
 * is taken the request is refused at once, so work in flight is bounded and nothing queues.
 */
export class RunSlots {
  private taken = 0;

  constructor(readonly max: number) {}

  get inFlight(): number {
    return this.taken;
  }

  /**
   * A function that gives the slot back (calling it twice is harmless), or undefined when none is
   * free.
   */
  tryTake(): (() => void) | undefined {
    if (this.taken >= this.max) return undefined;
    this.taken++;
    let given = false;
    return () => {
      if (given) return;
      given = true;
      this.taken--;
    };
  }
}

/**
 * Every POST of this service but feedback starts an agent run (`/execute`, `/delegate`), so a POST
 * takes a slot
 * before its body is read and holds it until its answer is sent or its client goes away (the run
 * is then cancelled). Past `slots.max`, 503 overloaded with `Retry-After`.
 */
export function admitRuns(slots: RunSlots): RequestHandler {
  // Built once: under a flood, capturing a stack trace per refusal is a cost worth not paying.
  const full = overloaded(
    `${slots.max} agent runs are in flight, the most this service takes at once.`,
  );
  return (request, response, next) => {
    if (request.method !== 'POST' || request.path === FEEDBACK_PATH) return next();
    const release = slots.tryTake();
    if (!release) return sendError(response, full);
    response.once('close', release);
    next();
  };
}
