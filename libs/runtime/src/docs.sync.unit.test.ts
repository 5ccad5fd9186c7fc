// The docs are the operator's catalogue; these checks fail the build when code and docs drift.
// Reads two files from the repository, nothing else.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RUNTIME_ERROR_CODES } from './app.error';
import { commonConfig, mongoConfig, natsConfig } from './common.config';
import { renderConfigTable } from './config.describe';
import { grpcClientSecurityConfig, grpcServerSecurityConfig } from './grpc-security.config';

const DOCS = join(__dirname, '../../../docs');
const read = (name: string) => readFileSync(join(DOCS, name), 'utf8');

describe('docs stay in step with libs/runtime', () => {
  test.each(Object.values(RUNTIME_ERROR_CODES))('When %s is defined, then docs/error-codes.md has a row for it', (code) => {
    expect(read('error-codes.md')).toMatch(new RegExp(`^\\| \`${code}\` \\|`, 'm'));
  });

  test.each([
    ['commonConfig', commonConfig],
    ['natsConfig + mongoConfig', { ...natsConfig, ...mongoConfig }],
    ['grpcServerSecurityConfig', grpcServerSecurityConfig],
    ['grpcClientSecurityConfig', grpcClientSecurityConfig],
  ])('When %s changes, then docs/configuration.md carries the regenerated table', (_name, fragment) => {
    expect(read('configuration.md')).toContain(renderConfigTable(fragment));
  });
});
