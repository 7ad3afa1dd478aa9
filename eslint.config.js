import nx from '@nx/eslint-plugin';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: ['**/node_modules/**', '**/dist/**', '**/.nx/**', '**/golden/**'],
  },
  ...nx.configs['flat/base'],
  ...tseslint.configs.strict,
  {
    files: ['**/*.ts', '**/*.js'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          allow: [],
          enforceBuildableLibDependency: false,
          // The command line loads the variant schema (and its YAML and zod) only on a miss of
          // the loaded-variant cache; the bundle splits it out of the start path.
          checkDynamicDependenciesExceptions: ['@levitate/distro-spec'],
          depConstraints: [
            // distro-spec is the leaf every other project reads; it reads nothing of ours.
            { sourceTag: 'type:spec', onlyDependOnLibsWithTags: [] },
            { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:spec', 'type:lib'] },
            { sourceTag: 'type:test', onlyDependOnLibsWithTags: ['type:spec', 'type:lib'] },
            // The builder apps share libraries but never import each other, nor test code:
            // what a user runs comes from the libraries.
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:spec', 'type:lib'] },
          ],
        },
      ],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
    },
  },
  {
    // A codebase this asynchronous: every promise is awaited or handled, never handed to
    // something that expects a plain value, and only thenables are awaited. Type-aware, so
    // TypeScript files only.
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
    },
  },
  prettier,
);
