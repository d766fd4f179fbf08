import { VARIABLE_NAMES, VARIABLES, parseVariables, TRACING_VARIABLE_NAMES } from './variables';

describe('the one schema of every variable', () => {
  it.each(VARIABLE_NAMES)('gives %s a default and a one-line description', (name) => {
    const { default: byDefault, description } = VARIABLES[name];
    expect(byDefault.trim()).not.toBe('');
    expect(description.trim()).not.toBe('');
    expect(`${byDefault}${description}`).not.toMatch(/\n/);
  });

  it.each(VARIABLE_NAMES)(
    'documents the default the schema of %s gives when it is unset',
    (name) => {
      const parsed: unknown = VARIABLES[name].schema.parse(undefined);
      if (['string', 'number', 'boolean'].includes(typeof parsed))
        expect(VARIABLES[name].default).toContain(`\`${String(parsed)}\``);
    },
  );

  it('lets the preload parse the tracing variables alone, so a bad application variable waits for the application', () => {
    expect(TRACING_VARIABLE_NAMES).not.toContain('PORT');
    expect(() => parseVariables({ PORT: 'abc' }, TRACING_VARIABLE_NAMES)).not.toThrow();
    expect(() => parseVariables({ PORT: 'abc' }, VARIABLE_NAMES)).toThrow(
      /^Invalid configuration: PORT: /,
    );
  });
});
