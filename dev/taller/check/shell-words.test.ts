import { parseCurl, shellWords } from './shell-words';

describe('reading a command line as a shell does', () => {
  it('keeps quoted words whole and drops the quotes', () => {
    expect(shellWords(`npm run taller:intro -- "Calculate 1 / 0"`)).toEqual([
      'npm',
      'run',
      'taller:intro',
      '--',
      'Calculate 1 / 0',
    ]);
    expect(shellWords(`echo 'a "b"' "c \\"d\\"" e\\ f`)).toEqual(['echo', 'a "b"', 'c "d"', 'e f']);
  });

  it("reads the path, headers and body of README's curl", () => {
    const curl = `curl -s localhost:8080/api/v1/agent/execute -H 'content-type: application/json' -d '{"task":"Calculate 17 * 23","user_id":"ana"}'`;
    expect(parseCurl(curl)).toEqual({
      path: '/api/v1/agent/execute',
      headers: { 'content-type': 'application/json' },
      body: '{"task":"Calculate 17 * 23","user_id":"ana"}',
    });
  });
});
