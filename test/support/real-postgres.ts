import { describeWithComponent } from './needs-component';

/**
 * The PostgreSQL suites run on PGlite everywhere and, with `TEST_POSTGRES_URL`, on a real server
 * too (`.ci/with-postgres` starts Debian's). Without one, that half is reported skipped, with why
 * and how to install it; in CI (`CI` set, as `.ci/run` does) a missing server fails instead, so CI
 * never skips it.
 */
const REAL_POSTGRES = process.env.TEST_POSTGRES_URL;
const INSTALL_POSTGRES = 'apt-get update && apt-get install -y postgresql';

export function describeOnRealPostgres(name: string, suite: (url: () => string) => void): void {
  describeWithComponent(
    REAL_POSTGRES
      ? `${name} on a PostgreSQL server (TEST_POSTGRES_URL)`
      : `${name} on a PostgreSQL server`,
    {
      missing: REAL_POSTGRES
        ? undefined
        : 'TEST_POSTGRES_URL is not set (.ci/with-postgres <command> starts a server for it)',
      install: INSTALL_POSTGRES,
    },
    () => suite(() => REAL_POSTGRES!),
  );
}
