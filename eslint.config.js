// The layer rules, enforced by lint (npm test runs it first): electron/core and electron/shared
// never import Electron (they run in the CLI, `serve` and plain Node tests), electron/shared imports
// nothing but zod and its own files, and renderer/src imports only electron/shared, its own files
// and npm packages. Only these rules: style is not what this lint is for.
import tsParser from '@typescript-eslint/parser';

const NO_ELECTRON = {
  paths: [{ name: 'electron', message: 'electron/core and electron/shared run without Electron (CLI, serve, tests): inject what you need from electron/main instead.' }],
  patterns: [{ regex: '^electron/', message: 'electron/core and electron/shared run without Electron (CLI, serve, tests).' }],
};

/** import('electron') and require('electron'): no-restricted-imports sees only static imports. */
const NO_DYNAMIC_ELECTRON = ['error',
  { selector: "ImportExpression[source.value='electron']", message: 'electron/core and electron/shared run without Electron (CLI, serve, tests).' },
  { selector: "CallExpression[callee.name='require'][arguments.0.value='electron']", message: 'electron/core and electron/shared run without Electron (CLI, serve, tests).' },
];

/**
 * A file `depth` folders below renderer/src leaves renderer/ with depth + 2 "../": such an import
 * must go to electron/shared (the one part of electron/ the window may see), nowhere else.
 * Why one block per depth: the rule matches import strings, which are relative to each file.
 */
const RENDERER_DEPTHS = 8;
function rendererBlock(depth) {
  const up = '(\\.\\./)'.concat(`{${depth + 2}}`);
  return {
    files: [`renderer/src/${'*/'.repeat(depth)}*.{ts,tsx}`],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'electron', message: 'The window never imports Electron: it talks to main only through window.mailbox2ics (the preload).' }],
        patterns: [
          { regex: `^${up}(?!electron/shared/)`, message: 'renderer/ imports only electron/shared (plus its own files and npm packages).' },
          { regex: '^(\\.\\./)+electron/shared/(.*/)?\\.\\./', message: 'renderer/ imports only electron/shared: no "../" out of it.' },
          { regex: '^(node:|electron/)', message: 'The window has no Node and no Electron: it talks to main only through window.mailbox2ics.' },
        ],
      }],
    },
  };
}

export default [
  { ignores: ['node_modules/**', 'renderer/dist/**', 'dist-electron/**', 'test-output/**'] },
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: { parser: tsParser, parserOptions: { ecmaVersion: 'latest', sourceType: 'module', ecmaFeatures: { jsx: true } } },
  },
  { files: ['electron/core/**/*.ts', 'electron/shared/**/*.ts'], rules: { 'no-restricted-syntax': NO_DYNAMIC_ELECTRON } },
  { files: ['electron/core/**/*.ts'], rules: { 'no-restricted-imports': ['error', NO_ELECTRON] } },
  {
    files: ['electron/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: NO_ELECTRON.paths,
        patterns: [{ regex: '^(?!zod$|\\./[^/]+$)', message: 'electron/shared is pure TypeScript shared with the window: it imports only zod and its own files.' }],
      }],
    },
  },
  // A catch-all for renderer files deeper than the blocks below reach.
  { files: ['renderer/src/**/*.{ts,tsx}'], rules: { 'no-restricted-imports': ['error', { paths: ['electron'], patterns: [{ regex: '^(node:|electron/|\\.\\./)', message: 'renderer/ nested this deep: import through a shallower module.' }] }] } },
  ...Array.from({ length: RENDERER_DEPTHS }, (_, d) => rendererBlock(d)),
];
