import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', '.scratch/**', 'data/**', 'apps/web/public/**'] },
  {
    files: ['**/*.ts', '**/*.tsx'],
    extends: [tseslint.configs.recommended],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // Boundaries: the engine imports no transport, database or vendor SDK.
    files: ['packages/pipeline/src/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['ws', 'pg', '@electric-sql/*', '@langchain/*', '@va/providers', '@va/db', '@va/standins'] }],
    },
  },
  {
    // The document index is a library: no transport, database, server or stand-in code.
    files: ['packages/rag/src/**/*.ts'],
    ignores: ['packages/rag/src/**/*.test.ts', 'packages/rag/src/testing/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['ws', 'pg', '@va/server', '@va/db', '@va/standins'] }],
    },
  },
  {
    // The browser only talks the wire protocol.
    files: ['apps/web/src/**/*.ts', 'apps/web/src/**/*.tsx'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['@va/pipeline', '@va/providers', '@va/server', '@va/db'] }],
    },
  },
);
