import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      '.ci/node/',
      'dist/',
      'dist-dev/',
      'coverage/',
      'node_modules/',
      '*.js',
      '*.mjs',
      '*.cjs',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.name='eval']",
          message: 'Tools parse; they never evaluate code.',
        },
        {
          selector: "NewExpression[callee.name='Function']",
          message: 'Tools parse; they never evaluate code.',
        },
        {
          // Jest reads a dotted string as a path: not.toHaveProperty('gen_ai.usage.cost') looks for
          // a nested object and always passes. Attribute names hold dots: name the key as an array.
          selector:
            "CallExpression[callee.property.name='toHaveProperty'] > Literal.arguments:first-child[value=/\\./]",
          message: "A dotted key is a path to Jest: write toHaveProperty(['gen_ai.usage.cost']).",
        },
      ],
    },
  },
);
