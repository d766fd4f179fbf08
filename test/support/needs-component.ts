/**
 * A suite that needs a component of the machine (Debian's chromium, prometheus, postgresql). Where
 * the component is missing the suite is reported skipped, with why and the command that installs
 * it, never a silent pass; in CI (`CI` set, as `.ci/run` does, which installs them all) a missing
 * component fails instead, so CI never skips it.
 */
export function describeWithComponent(
  name: string,
  component: { missing?: string; install: string },
  suite: () => void,
): void {
  if (!component.missing) {
    describe(name, suite);
    return;
  }
  describe(name, () => reportMissing(component.missing!, component.install));
}

/**
 * In the current suite, the test that stands for what cannot run without `missing`: skipped with
 * why and the command that installs it, or, in CI, failing.
 */
export function reportMissing(missing: string, install: string): void {
  const why = `${missing}; install it with: ${install}`;
  if (process.env.CI)
    it(`runs in CI, where .ci/run installs what it needs`, () => {
      throw new Error(`Missing in CI: ${why}`);
    });
  else it.skip(`(SKIPPED: ${why})`, () => {});
}
