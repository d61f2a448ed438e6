// SPDX-License-Identifier: Apache-2.0
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'web/dist/', 'data/', 'coverage/', 'test-results/'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'error',
    },
  },
  {
    // One public surface per module: other modules import only modules/<name>/index.ts.
    files: ['server/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['../*/*.store.ts', '../*/*.service.ts', '../*/*.policy.ts', '../../modules/*/*.store.ts', '../modules/*/*.store.ts', '../modules/*/*.service.ts'], message: 'import another module only through its index.ts' }] }],
    },
  },
);
