// Lint: typescript-eslint's recommended rules, and the import boundaries of the architecture
// (README, Architecture): clinical/ imports only clinical/ and no package; common/ and config/
// import no module; a module reaches another only through its public file (index.ts).
import js from '@eslint/js';
import boundaries from 'eslint-plugin-boundaries';
import tseslint from 'typescript-eslint';

const to = (...types) => ({ to: { element: { types: { anyOf: types } } } });
const publicFileOfAModule = { to: { element: { type: 'module', fileInternalPath: 'index.ts' } } };
const sameModule = { to: { element: { type: 'module' } }, dependency: { relationship: { to: 'internal' } } };
const appFile = { to: { file: { categories: 'app' } } };
const packages = { to: { module: { origin: ['external', 'core'] } } };

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.data/**', 'coverage/**', 'bench/results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/config/**', 'src/**/*.spec.ts'],
    rules: {
      'no-restricted-syntax': ['error', { selector: "MemberExpression[object.name='process'][property.name='env']", message: 'Settings are read once, in src/config (AppConfig).' }],
    },
  },
  {
    // class-validator's IsOptional lets an explicit null through to the service as a value; its
    // IsEmail lets bidirectional overrides and zero-width characters through in the local part.
    files: ['src/**/*.ts'],
    ignores: ['src/config/**', 'src/common/validation/optional.ts', 'src/common/validation/email.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'class-validator', importNames: ['IsOptional'], message: 'Use IsOptional (null refused) or IsNullable from src/common/validation/optional.ts.' },
            { name: 'class-validator', importNames: ['IsEmail'], message: 'Use IsEmailAddress from src/common/validation/email.ts (no invisible characters).' },
          ],
        },
      ],
    },
  },
  {
    files: ['src/**/*.ts'],
    plugins: { boundaries },
    settings: {
      'import/resolver': { typescript: { project: 'tsconfig.json' } },
      'boundaries/elements': [
        { type: 'clinical', pattern: 'src/clinical' },
        { type: 'common', pattern: 'src/common' },
        { type: 'config', pattern: 'src/config' },
        { type: 'database', pattern: 'src/database' },
        { type: 'module', pattern: 'src/modules/*', capture: ['name'] },
        { type: 'cli', pattern: 'src/cli' },
        { type: 'migrations', pattern: 'migrations' },
        { type: 'test-support', pattern: 'test/support' },
      ],
      'boundaries/files': [
        { category: 'spec', pattern: '**/*.spec.ts' },
        // main, app.module, app.setup, entities: they put the whole application together.
        { category: 'app', pattern: 'src/*.ts' },
      ],
    },
    rules: {
      'boundaries/dependencies': [
        'error',
        {
          default: 'disallow',
          checkAllOrigins: true,
          checkUnknownLocals: true,
          policies: [
            { allow: [packages] },
            { from: { element: { type: 'clinical' } }, allow: [to('clinical')] },
            // Pure means no package either: no framework, no database driver, no clock or file system.
            { from: { element: { type: 'clinical' } }, disallow: [packages] },
            { from: { element: { type: 'config' } }, allow: [to('config')] },
            { from: { element: { type: 'common' } }, allow: [to('common', 'clinical', 'config')] },
            { from: { element: { type: 'database' } }, allow: [to('database', 'common', 'config', 'migrations')] },
            { from: { element: { type: 'module' } }, allow: [to('clinical', 'common', 'config'), sameModule, publicFileOfAModule] },
            { from: { file: { categories: 'app' } }, allow: [to('clinical', 'common', 'config', 'database', 'migrations'), publicFileOfAModule, appFile] },
            { from: { element: { type: 'cli' } }, allow: [to('cli', 'clinical', 'common', 'config', 'database', 'migrations'), publicFileOfAModule, appFile] },
            // Specs may use the shared test data and the test libraries.
            { from: { file: { categories: 'spec' } }, allow: [to('test-support'), packages] },
          ],
        },
      ],
    },
  },
);
