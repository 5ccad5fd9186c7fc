import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ManagedProcess, spawnServer } from './child-process';
import { InfraPaths } from './paths';
import { INFRA_ERROR_CODES, infraError } from './infra.errors';
import type { NatsCredentialSet } from './nats-credentials';

export interface LocalNats {
  url: string;
  proc: ManagedProcess;
}

/**
 * Starts the project-built nats-server with JetStream on loopback. Port 0 lets the server
 * choose (nats-server's "-p -1"); the port is read back from its "Listening" log line.
 */
export async function startLocalNats(
  paths: InfraPaths,
  opts: { port?: number; storeDir: string; name?: string; ownProcessGroup?: boolean; credentials?: NatsCredentialSet },
): Promise<LocalNats> {
  const bin = join(paths.toolsDir, 'bin', 'nats-server');
  if (!existsSync(bin)) throw infraError(INFRA_ERROR_CODES.toolNotBuilt, `nats-server is not built at ${bin} (run ./dev setup)`);
  mkdirSync(opts.storeDir, { recursive: true });
  const port = opts.port && opts.port > 0 ? String(opts.port) : '-1';
  const name = opts.name ?? 'nats-server';
  const { proc, match } = await spawnServer({
    name,
    command: bin,
    // With credentials: authorization on (`-c` the generated block; the command-line flags win
    // over the file for the rest), public keys in the server's environment.
    args: [...(opts.credentials ? ['-c', opts.credentials.configFile] : []), '-js', '-a', '127.0.0.1', '-p', port, '-sd', opts.storeDir, '-n', name],
    env: opts.credentials ? { ...process.env, ...opts.credentials.serverEnv } : undefined,
    logFile: join(paths.logDir, `${name}.log`),
    readyLine: /Listening for client connections on [^\s]*:(\d+)[\s\S]*Server is ready/,
    startTimeoutMs: 20_000,
    ownProcessGroup: opts.ownProcessGroup,
  });
  return { url: `nats://127.0.0.1:${match[1]}`, proc };
}
