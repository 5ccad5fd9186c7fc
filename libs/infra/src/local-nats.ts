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
 * The Go runtime settings of the local nats-server, unless the caller's environment sets its own.
 * On a small machine shared with the five services, the stand-in and a load generator (the
 * 2-core dev box), Go's defaults cost the whole cluster CPU (issue 14, `./dev load --own`, three
 * alternating pairs, flat out):
 * - GOMAXPROCS=1: with one P per core Go keeps idle threads spinning for work between messages;
 *   with one, nats-server's own CPU per invitation fell 0.58-0.69 → 0.36-0.40 ms.
 * - GOGC=400: the heap may grow to 5× the live set before a collection instead of 2×; the
 *   server's peak RSS rose 50-53 → 62-64 MiB, and each collection's mark workers no longer take a
 *   core from the Node services.
 * Together: applied/s flat out 364-409 → 427-485, and CPU per invitation of all processes
 * 4.8-5.4 → 4.0-4.6 ms; the Node services' share fell too (five services 2.86-3.24 → 2.52-2.87).
 * A production NATS runs on its own nodes: size it by NATS's guidance (GOMEMLIMIT from the
 * container limit), not by this.
 */
export function localNatsGoEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { GOMAXPROCS: '1', GOGC: '400', ...env };
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
    env: localNatsGoEnv(opts.credentials ? { ...process.env, ...opts.credentials.serverEnv } : process.env),
    logFile: join(paths.logDir, `${name}.log`),
    readyLine: /Listening for client connections on [^\s]*:(\d+)[\s\S]*Server is ready/,
    startTimeoutMs: 20_000,
    ownProcessGroup: opts.ownProcessGroup,
  });
  return { url: `nats://127.0.0.1:${match[1]}`, proc };
}
