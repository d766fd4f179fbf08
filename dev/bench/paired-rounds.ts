export const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

/** One thing to measure: a round of it returns the CPU time per unit (µs per span). */
export interface Contender {
  name: string;
  round(): Promise<number>;
}

export interface PairedFigure {
  name: string;
  /** Median over the rounds. */
  medianUs: number;
  /** Median of (this round − the reference's round just before it); 0 for the reference. */
  pairedUs: number;
  rounds: number[];
}

/**
 * Runs the contenders interleaved, the first one (the reference) first in every round, so that
 * the machine's drift (other processes, thermal, GC of the previous round) lands on all of them
 * alike; a paired difference then cancels what a round had in common. One warm-up round first,
 * so the JIT is measured warm, as in a running service.
 */
export async function pairedRounds(
  contenders: readonly Contender[],
  rounds: number,
): Promise<PairedFigure[]> {
  for (const contender of contenders) await contender.round();
  const results = contenders.map(() => [] as number[]);
  for (let round = 0; round < rounds; round += 1) {
    for (const [index, contender] of contenders.entries()) {
      results[index]!.push(await contender.round());
    }
  }
  const reference = results[0]!;
  return contenders.map((contender, index) => ({
    name: contender.name,
    medianUs: median(results[index]!),
    pairedUs: median(results[index]!.map((value, round) => value - reference[round]!)),
    rounds: results[index]!,
  }));
}

/** CPU time (user + system) of `work`, in µs per unit. */
export async function cpuUsPer(units: number, work: () => Promise<void> | void): Promise<number> {
  const before = process.cpuUsage();
  await work();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / units;
}
