// House rules as lint rules (design.md §4): strict types, and imports that go one way.
import tseslint from 'typescript-eslint';

const engineMayNot = ['vscode', 'vscode-languageclient', 'vscode-languageclient/*', 'vscode-languageserver', 'vscode-languageserver/*'];

export default tseslint.config(
  { ignores: ['dist/**', '.cache/**', 'models/**', 'bin/**', 'test/fixtures/**', 'out/**', 'node_modules/**', 'media/**', 'bench/corpus/**', 'bench/scale/src/**', 'bench/scale/downloads/**', 'test/.tmp/**'] },
  ...tseslint.configs.strict,
  {
    files: ['**/*.ts', '**/*.mts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-non-null-assertion': 'error',
      '@typescript-eslint/ban-ts-comment': ['error', { 'ts-ignore': true, 'ts-expect-error': true, 'ts-nocheck': true }],
      '@typescript-eslint/no-require-imports': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/engine/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: engineMayNot.filter((p) => !p.includes('*')).map((name) => ({ name, message: 'The engine knows nothing of VS Code or LSP.' })),
        patterns: [
          { group: ['vscode-languageclient/*', 'vscode-languageserver/*'], message: 'The engine knows nothing of VS Code or LSP.' },
          { group: ['**/client/**', '**/server/**', '**/cli/**', '**/webview/**'], message: 'The engine is imported by its drivers, never the reverse.' },
        ],
      }],
    },
  },
  {
    files: ['src/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'vscode', message: 'shared/ is imported by every process, including the server and the webview.' }],
        patterns: [{ group: ['**/engine/**', '**/client/**', '**/server/**', '**/cli/**', '**/webview/**'], message: 'shared/ depends on nothing of ours.' }],
      }],
    },
  },
  {
    files: ['src/webview/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'vscode', message: 'The webview runs in a browser frame.' }],
        patterns: [{ group: ['**/engine/**', '**/client/**', '**/server/**', '**/cli/**', 'node:*'], message: 'The webview may import shared/ only.' }],
      }],
    },
  },
  {
    files: ['src/server/**/*.ts', 'src/cli/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'vscode', message: 'Only the extension client runs inside VS Code.' }],
        patterns: [{ group: ['**/client/**', '**/webview/**', '../cli/**', '../server/**'], message: 'The server and the CLI are siblings: share code through engine/ or shared/.' }],
      }],
    },
  },
  {
    files: ['test/unit/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'vscode', message: 'Unit tests never import vscode.' }] }],
    },
  },
);
