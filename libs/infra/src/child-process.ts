import { ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { INFRA_ERROR_CODES, infraError } from './infra.errors';

/** A background server process the project started itself (nats-server, the Mongo stand-in). */
export interface ManagedProcess {
  readonly name: string;
  readonly child: ChildProcess;
  stop(timeoutMs?: number): Promise<StopReport>;
}

/** How a stop went, so a runner can say what was forced instead of "stopped cleanly". */
export interface StopReport {
  readonly name: string;
  /** True when the budget ran out and the process was SIGKILLed. */
  readonly forced: boolean;
  readonly ms: number;
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

const live = new Set<ChildProcess>();
let exitHookInstalled = false;

// If the parent dies without stopping its children (a test runner killed, an uncaught
// error), the servers must not outlive it and hold ports or an H2 file lock.
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const child of live) child.kill('SIGKILL');
  });
}

export interface SpawnServerOptions {
  name: string;
  command: string;
  args: string[];
  logFile: string;
  /** Resolves with a value once this stdout/stderr line appears; rejects on exit first. */
  readyLine: RegExp;
  startTimeoutMs: number;
  env?: NodeJS.ProcessEnv;
  /**
   * Own process group: Ctrl-C in a terminal signals the whole foreground group, which would
   * stop NATS and MongoDB while the services are still connected to them. The local cluster
   * runner sets this and stops them itself, last. (Tests leave it off, so a Ctrl-C'd Jest
   * run still takes its servers down with it.)
   */
  ownProcessGroup?: boolean;
}

/** Spawns a server and waits for its ready line; the match is returned for port discovery. */
export async function spawnServer(opts: SpawnServerOptions): Promise<{ proc: ManagedProcess; match: RegExpMatchArray }> {
  installExitHook();
  mkdirSync(dirname(opts.logFile), { recursive: true });
  const log = createWriteStream(opts.logFile, { flags: 'a' });
  const child = spawn(opts.command, opts.args, { stdio: ['ignore', 'pipe', 'pipe'], env: opts.env ?? process.env, detached: opts.ownProcessGroup ?? false });
  live.add(child);
  child.once('exit', () => live.delete(child));

  const match = await new Promise<RegExpMatchArray>((resolve, reject) => {
    let buffered = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(infraError(INFRA_ERROR_CODES.processNotReady, `${opts.name} did not become ready within ${opts.startTimeoutMs} ms (log: ${opts.logFile})`));
    }, opts.startTimeoutMs);
    const onData = (chunk: Buffer): void => {
      log.write(chunk);
      buffered += chunk.toString('utf8');
      const found = buffered.match(opts.readyLine);
      if (found) {
        clearTimeout(timer);
        resolve(found);
      }
      if (buffered.length > 64 * 1024) buffered = buffered.slice(-4096);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(infraError(INFRA_ERROR_CODES.processNotStarted, `${opts.name} could not be started (${opts.command}): ${err.message}`, err));
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(infraError(INFRA_ERROR_CODES.processExitedEarly, `${opts.name} exited before it was ready (code ${code}, signal ${signal}); see ${opts.logFile}`));
    });
  });

  const proc: ManagedProcess = {
    name: opts.name,
    child,
    stop: (timeoutMs = 10_000) => stopChild(child, timeoutMs).then((r) => ({ name: opts.name, ...r })).finally(() => log.end()),
  };
  return { proc, match };
}

/** SIGTERM, then SIGKILL after the bound: a clean stop lets H2 and JetStream flush. */
export function stopChild(child: ChildProcess, timeoutMs: number): Promise<Omit<StopReport, 'name'>> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve({ forced: false, ms: 0, code: child.exitCode, signal: child.signalCode });
  }
  const started = Date.now();
  let forced = false;
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      forced = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ forced, ms: Date.now() - started, code, signal });
    });
    child.kill('SIGTERM');
  });
}
