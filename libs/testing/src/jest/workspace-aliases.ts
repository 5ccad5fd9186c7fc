// Jest loads its global set-up outside its module mapper, so the workspace's `@inviteflow/*`
// aliases are registered here, from tsconfig.base.json, before anything that imports them
// (libs/infra imports libs/runtime). Imported first by global-setup.ts for its side effect.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { register } from 'tsconfig-paths';

const root = join(__dirname, '../../../..');
const { compilerOptions } = JSON.parse(readFileSync(join(root, 'tsconfig.base.json'), 'utf8')) as { compilerOptions: { paths: Record<string, string[]> } };
register({ baseUrl: root, paths: compilerOptions.paths });
