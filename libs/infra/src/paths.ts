import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { INFRA_ERROR_CODES, infraError } from './infra.errors';

export interface InfraPaths {
  root: string;
  toolsDir: string;
  dataDir: string;
  logDir: string;
}

/** Finds the workspace root (the directory holding nx.json) from a starting directory. */
export function findWorkspaceRoot(start = process.cwd()): string {
  let dir = resolve(start);
  while (!existsSync(join(dir, 'nx.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw infraError(INFRA_ERROR_CODES.workspaceNotFound, `no nx.json above ${start}: not inside the inviteflow workspace`);
    dir = parent;
  }
  return dir;
}

/** Project-local tools and data directories (overridable like scripts/env.sh). */
export function infraPaths(env: NodeJS.ProcessEnv = process.env, root = env['INVITEFLOW_ROOT'] ?? findWorkspaceRoot()): InfraPaths {
  const toolsDir = env['INVITEFLOW_TOOLS'] ?? join(root, '.tools');
  const dataDir = env['INVITEFLOW_DATA'] ?? join(root, '.data');
  return { root, toolsDir, dataDir, logDir: join(dataDir, 'logs') };
}
