import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ManagedProcess, spawnServer } from './child-process';
import { InfraPaths } from './paths';
import { INFRA_ERROR_CODES, infraError } from './infra.errors';

export interface LocalMongo {
  url: string;
  proc: ManagedProcess;
}

export type StandInBackend = { kind: 'memory' } | { kind: 'h2'; file: string };

/**
 * Starts the mongo-java-server stand-in (tools/mongo-stand-in) with a bounded heap.
 * Memory backend for tests; the H2 file backend for a local cluster, so data survives a
 * clean restart (a kill -9 can corrupt the H2 file: always stop it with SIGTERM).
 */
export async function startLocalMongo(
  paths: InfraPaths,
  opts: { port?: number; backend: StandInBackend; heapMb?: number; name?: string; ownProcessGroup?: boolean },
): Promise<LocalMongo> {
  const dir = join(paths.toolsDir, 'mongo-stand-in');
  const launcher = join(dir, 'MongoStandIn.java');
  if (!existsSync(launcher)) throw infraError(INFRA_ERROR_CODES.toolNotBuilt, `the MongoDB stand-in is not prepared at ${dir} (run ./dev setup)`);
  const args = [`-Xmx${opts.heapMb ?? 512}m`, '-XX:+UseSerialGC', '-cp', join(dir, 'lib', '*'), launcher];
  args.push('--host', '127.0.0.1', '--port', String(opts.port ?? 0), '--backend', opts.backend.kind);
  if (opts.backend.kind === 'h2') {
    mkdirSync(join(opts.backend.file, '..'), { recursive: true });
    args.push('--file', opts.backend.file);
  }
  const name = opts.name ?? 'mongo-stand-in';
  const { proc, match } = await spawnServer({
    name,
    command: 'java',
    args,
    logFile: join(paths.logDir, `${name}.log`),
    readyLine: /LISTENING (\d+)/,
    startTimeoutMs: 60_000,
    ownProcessGroup: opts.ownProcessGroup,
  });
  // directConnection: the stand-in is a single server without replica-set discovery.
  return { url: `mongodb://127.0.0.1:${match[1]}/?directConnection=true`, proc };
}
