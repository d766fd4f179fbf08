/**
 * The PostgreSQL suites run on PGlite everywhere and, with `TEST_POSTGRES_URL`, on a real server
 * too (`.ci/with-postgres` starts Debian's). Without one, that half is reported skipped, with why
 * and how to install it; in CI (`CI` set, as `.ci/run` does) a missing server fails instead, so CI
 * never skips it.
 */
const REAL_POSTGRES = process.env.TEST_POSTGRES_URL;
const INSTALL_POSTGRES = 'apt-get update && apt-get install -y postgresql';

export function describeOnRealPostgres(name: string, suite: (url: () => string) => void): void {
  if (REAL_POSTGRES) {
    describe(`${name} on a PostgreSQL server (TEST_POSTGRES_URL)`, () =>
      suite(() => REAL_POSTGRES));
    return;
  }
  describe(`${name} on a PostgreSQL server`, () => {
    if (process.env.CI) {
      it('runs in CI, where TEST_POSTGRES_URL must name a server (.ci/run starts one)', () => {
        throw new Error('TEST_POSTGRES_URL is not set in CI: run the tests with .ci/with-postgres');
      });
      return;
    }
    it.skip(`(SKIPPED: TEST_POSTGRES_URL is not set; install PostgreSQL with: ${INSTALL_POSTGRES}, then run .ci/with-postgres npx jest <file>)`, () => {});
  });
}
