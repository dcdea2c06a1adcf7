// Lint rules, the layering among them: which part of src/ may import which (docs/ARCHITECTURE.md).
import js from '@eslint/js';
import stylistic from '@stylistic/eslint-plugin';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * For the files of one layer: the layers of src/ it may not import, statically or with `import()`, except
 * the modules named in `allowed` (paths inside a forbidden layer, such as `server/embedded.js`).
 */
function layer(files, forbidden, allowed = []) {
  const message = `${files[0].split('/')[1]} may not import src/{${forbidden.join(',')}}; see docs/ARCHITECTURE.md`;
  const group = [...forbidden.map((name) => `**/${name}/**`), ...allowed.map((path) => `!**/${path}`)];
  const exceptions = allowed.map((path) => `(?!${path.split('/')[1].replaceAll('.', '\\.')}$)`).join('');
  return {
    files,
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group, message }] }],
      'no-restricted-syntax': [
        'error',
        { selector: `ImportExpression[source.value=/\\/(${forbidden.join('|')})\\/${exceptions}/]`, message },
      ],
    },
  };
}

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/', 'test/fixtures/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  { languageOptions: { globals: globals.node } },
  {
    files: ['**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks, '@stylistic': stylistic },
    rules: {
      // Prettier wraps code at 120 columns but leaves comments alone. A message stays on one line, where
      // a search for its words finds it.
      '@stylistic/max-len': [
        'error',
        { code: 120, ignoreUrls: true, ignoreRegExpLiterals: true, ignoreStrings: true, ignoreTemplateLiterals: true },
      ],
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      // Sanitising terminal text is about control characters: the patterns name them on purpose.
      'no-control-regex': 'off',
    },
  },
  layer(['src/protocol/**'], ['server', 'tui', 'ssh', 'cli']),
  layer(['src/cli/**'], ['server', 'tui', 'ssh']),
  { ...layer(['src/server/**'], ['tui', 'ssh']), ignores: ['src/server/cli.ts', 'src/server/embedded.ts'] },
  // The chat-server command wires the SSH door to the server it starts.
  layer(['src/server/cli.ts'], ['tui']),
  // chat-tui --serve opens the same door, through the two modules the command uses: its settings, its start.
  layer(['src/server/embedded.ts'], ['tui', 'ssh'], ['ssh/options.js', 'ssh/start.js']),
  { ...layer(['src/tui/**'], ['server', 'ssh'], ['server/embedded.js']), ignores: ['src/tui/cli.tsx'] },
  // The chat-tui command reads the door's flags for --serve as chat-server defines them.
  layer(['src/tui/cli.tsx'], ['server', 'ssh'], ['server/embedded.js', 'ssh/options.js']),
);
