// Lint, including Nx module boundaries: a project may depend only on the kinds of
// project its tags allow (house-style.md §1).
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

// Modules that reach disks, networks, processes or servers: never imported by pure code.
const IO_MODULES = [
  'node:fs', 'fs', 'node:fs/promises', 'fs/promises', 'node:http', 'http', 'node:https', 'https', 'node:http2', 'node:dgram',
  'node:dns', 'dns', 'node:child_process', 'child_process', 'node:worker_threads', 'node:tls', 'node:cluster',
  'mongodb', 'nodemailer', 'smtp-server', 'imapflow', 'pino', 'prom-client', 'testcontainers',
];

export default [
  { ignores: ['**/node_modules/**', '**/dist/**', '.tools/**', '.data/**', 'libs/proto-gen/src/gen/**', '**/*.js', '**/*.mjs', '**/*.cjs'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { '@nx': nx },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@nx/enforce-module-boundaries': ['error', boundaries(false)],
    },
  },
  // Layers inside a service (architecture.md, Cross-cutting): the domain is pure rules over
  // ports it declares itself; adapters (data, handlers, grpc, events, smtp, bounded workers)
  // depend on it, never the other way round.
  {
    files: ['services/*/src/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: IO_MODULES.map((name) => ({ name, message: 'domain/ does no I/O: take a port (an interface) instead.' })),
        patterns: [{
          group: ['**/data', '**/data/**', '**/handlers', '**/handlers/**', '**/grpc', '**/grpc/**', '**/events/**', '**/smtp/**', '**/bounded/**', '**/start', '**/main'],
          message: 'domain/ holds pure rules: declare a port in domain/ and implement it in data/ (or another adapter) instead.',
        }],
      }],
    },
  },
  // The pure libraries (type:domain): no I/O of any kind; the clock and ids come in as arguments.
  {
    files: ['libs/itip/src/**/*.ts', 'libs/parser-core/src/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [...IO_MODULES, 'node:net', 'net'].map((name) => ({ name, message: 'A domain library does no I/O: the caller passes data, the clock and ids in.' })),
        patterns: [{ group: ['@nats-io/*', '@grpc/*', '@testcontainers/*'], message: 'A domain library does no I/O.' }],
      }],
    },
  },
  // The parser loads mailauth's checks one by one: the package's entry point loads its BIMI
  // checker (undici, a certificate library: ~11 MiB resident) whatever the options say
  // (services/parser/src/auth/mail-checks.ts; issue 14's 150 MiB per service).
  {
    files: ['services/parser/src/**/*.ts'],
    ignores: ['**/*.test.ts', '**/*.d.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'mailauth', allowTypeImports: true, message: 'Import the check from mailauth/lib/… (see auth/mail-checks.ts): the entry point loads BIMI.' }],
      }],
    },
  },
  // One error type: product code throws AppError with a stable code (docs/error-codes.md).
  {
    files: ['**/*.ts'],
    ignores: ['**/*.test.ts', '**/*.bench.ts', '**/*.fuzz.ts', '**/*.fixture.ts', '**/*.support.ts', '**/test/**', '**/bench/**', 'libs/testing/**', 'k8s/**'],
    rules: {
      'no-restricted-syntax': ['error',
        { selector: "NewExpression[callee.name='Error']", message: 'Raise an AppError with a code (docs/error-codes.md), not a bare Error; a TypeError marks a programming error.' },
        { selector: "NewExpression[callee.name=/^(Messaging|Cli|InfraUnavailable|DuplicateKey|MongoUnavailable|MongoFailure)Error$/]", message: 'These became AppError codes.' },
      ],
    },
  },
  // Tests and benches may use the shared test kit (libs/testing); production code may not. So may the
  // CLI's load tool (apps/cli/load, `./dev load`): a developer's measuring tool, not shipped in
  // the CLI bundle, that builds its invitations with the test kit's builders.
  {
    files: ['**/*.test.ts', '**/*.bench.ts', '**/test/**/*.ts', '**/bench/**/*.ts', 'apps/cli/load/**/*.ts'],
    rules: { '@nx/enforce-module-boundaries': ['error', boundaries(true)] },
  },
];

function boundaries(inTests) {
  const testing = inTests ? ['type:testing'] : [];
  // Tests of a domain library may feed it the real output of another (libs/itip's tables are
  // written as iCalendar and read by the parser's core, as production will feed them).
  const domainInTests = inTests ? ['type:domain'] : [];
  const parserInTests = inTests ? ['scope:parser'] : [];
  return {
    enforceBuildableLibDependency: false,
    allow: [],
    depConstraints: [
      { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: ['type:contracts', ...testing] },
      { sourceTag: 'type:domain', onlyDependOnLibsWithTags: ['type:contracts', ...domainInTests, ...testing] },
      { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:lib', 'type:contracts', 'type:domain', ...testing] },
      { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:lib', 'type:contracts', 'type:domain', 'type:testing'] },
      { sourceTag: 'type:service', onlyDependOnLibsWithTags: ['type:lib', 'type:contracts', 'type:domain', ...testing] },
      { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:lib', 'type:contracts', 'type:domain', ...testing] },
      // Scopes: shared code stays shared; a service's own libraries serve that service (and
      // the CLI, which runs the parser's core offline for `inviteflow parse`).
      { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
      { sourceTag: 'scope:parser', onlyDependOnLibsWithTags: ['scope:shared', 'scope:parser'] },
      { sourceTag: 'scope:ingest', onlyDependOnLibsWithTags: ['scope:shared', 'scope:ingest'] },
      { sourceTag: 'scope:identity', onlyDependOnLibsWithTags: ['scope:shared', 'scope:identity'] },
      { sourceTag: 'scope:appointment', onlyDependOnLibsWithTags: ['scope:shared', 'scope:appointment', ...parserInTests] },
      // outbound-mail's tests feed what it renders back through the parser's core (issue 11 round trips).
      { sourceTag: 'scope:outbound-mail', onlyDependOnLibsWithTags: ['scope:shared', 'scope:outbound-mail', ...parserInTests] },
      { sourceTag: 'scope:cli', onlyDependOnLibsWithTags: ['scope:shared', 'scope:cli', 'scope:parser'] },
    ],
  };
}
