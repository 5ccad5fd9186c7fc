// The one place that knows where the real-client corpus lives. It is read in place, never
// copied into the project (domain.md §6), and it is not part of this repository: a fresh
// clone has it only where the checkout sits beside ../shared, or where INVITEFLOW_CORPUS says.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { findWorkspaceRoot } from '@inviteflow/infra';

export const CORPUS_ENV = 'INVITEFLOW_CORPUS';

/**
 * `INVITEFLOW_CORPUS` (absolute, or relative to the repository root), else `../shared/corpus`
 * relative to the repository root. A test that needs the corpus fails here, naming the
 * directory and the variable, rather than passing on nothing or skipping.
 */
export function corpusDir(env: NodeJS.ProcessEnv = process.env): string {
  const root = findWorkspaceRoot(__dirname);
  const configured = env[CORPUS_ENV];
  const dir = resolve(root, configured || join('..', 'shared', 'corpus'));
  if (!existsSync(join(dir, 'MANIFEST.tsv'))) {
    const source = configured ? `${CORPUS_ENV}=${configured}` : `the default ../shared/corpus (${CORPUS_ENV} is not set)`;
    throw new Error(`the real-client corpus is not at ${dir} (from ${source}): no MANIFEST.tsv there. ` +
      `Set ${CORPUS_ENV} to the corpus directory; tests that only need an invitation use examples/mail instead.`);
  }
  return dir;
}
