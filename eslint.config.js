// ESLint (flat config): eslint's own recommended rules plus typescript-eslint's recommended set.
// `npm run lint` runs it and then `tsc --noEmit`; .ci/run fails the build on either. Formatting is
// left alone: these rules are about mistakes, not style.
import {defineConfig} from 'eslint/config'
import {builtinRules} from 'eslint/use-at-your-own-risk'
import tseslint from 'typescript-eslint'

// eslint:recommended, read from eslint itself (the @eslint/js package that ships it is not a
// dependency of eslint 10): every core rule whose docs mark it recommended.
const recommended = Object.fromEntries([...builtinRules].filter(([, rule]) => rule.meta?.docs?.recommended).map(([name]) => [name, 'error']))

const nodeGlobals = Object.fromEntries(
  ['process', 'console', 'Buffer', 'URL', 'URLSearchParams', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'setImmediate', 'queueMicrotask', 'globalThis', 'structuredClone', 'performance', 'TextEncoder', 'TextDecoder', 'AbortController', 'fetch', 'crypto']
    .map((g) => [g, 'readonly']),
)

export default defineConfig(
  {ignores: ['dist/**', 'node_modules/**', 'coverage/**']},
  {files: ['**/*.{js,mjs,cjs,ts,tsx}'], rules: recommended},
  tseslint.configs.recommended,
  {
    linterOptions: {reportUnusedDisableDirectives: 'error'},
    languageOptions: {globals: nodeGlobals},
    rules: {
      // `catch {}` is how the code says "best effort" (a read-only install, a missing cache file).
      'no-empty': ['error', {allowEmptyCatch: true}],
      '@typescript-eslint/no-unused-vars': ['error', {argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none'}],
    },
  },
  {
    // Tests read the CLI's JSON documents loosely, and check that control characters are neutralised.
    files: ['test/**'],
    rules: {'@typescript-eslint/no-explicit-any': 'off', 'no-control-regex': 'off'},
  },
  {
    // CommonJS: the launcher (bin/package.json says so) and build shims.
    files: ['**/*.cjs', 'bin/run.js'],
    languageOptions: {sourceType: 'commonjs', globals: {require: 'readonly', module: 'writable', __dirname: 'readonly', __filename: 'readonly', exports: 'writable'}},
    rules: {'@typescript-eslint/no-require-imports': 'off'},
  },
)
