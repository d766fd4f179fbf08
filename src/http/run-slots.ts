import type { ServerResponse } from 'node:http';
import { overloaded, type HttpError } from './errors';

/**
 * A ceiling on agent runs in flight in this process. Taking a slot never waits: when every slot
 * is taken the run is refused at once, so work in flight is bounded and nothing queues.
 */
export class RunSlots {
  private taken = 0;
  // Built once: under a flood, capturing a stack trace per refusal is a cost worth not paying.
  private readonly full: HttpError;

  constructor(readonly max: number) {
    this.full = overloaded(`${max} agent runs are in flight, the most this service takes at once.`);
  }

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

  /**
   * Admits the run this request is about to start: a slot held until its answer is sent or its
   * client goes away (the run is then cancelled). Called by a route once the body has arrived and
   * is valid, so a client that is slow to send, or sends nonsense, holds none. Throws 503
   * overloaded, with `Retry-After`, when every slot is taken.
   */
  admit(response: ServerResponse): void {
    const release = this.tryTake();
    if (!release) throw this.full;
    response.once('close', release);
  }
}
