import { ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, WriteStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { AppError } from '@inviteflow/runtime';
import { CLI_ERROR_CODES } from '../cli-errors';
import { describeExit } from './restart.policy';

/** What a service logs once it is up: `{"event":"service.started","ports":{...}}`. */
export interface StartedLine {
  ports: Record<string, number>;
}

/** How a process ended: `code` is null when a signal ended it (Node's 'exit' event). */
export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ServiceProcess {
  name: string;
  child: ChildProcess;
  ports: Record<string, number>;
  exited: Promise<ProcessExit>;
}

/** How a stop went: on its own within the budget, or killed when the budget ran out. */
export interface StopOutcome {
  exit: ProcessExit;
  forced: boolean;
  ms: number;
}

/**
 * Starts one service as its own process with the project's Node 24 (the one running this
 * CLI), copies its JSON log lines to a file, and resolves once it reported being started.
 */
export function startServiceProcess(opts: {
  name: string;
  script: string;
  env: Record<string, string>;
  /** Node/V8 flags before the script (SERVICE_NODE_FLAGS). */
  nodeFlags?: readonly string[];
  logFile: string;
  startTimeoutMs: number;
  onLine?: (line: string) => void;
}): Promise<ServiceProcess> {
  const log: WriteStream = createWriteStream(opts.logFile, { flags: 'a' });
  const child = spawn(process.execPath, [...(opts.nodeFlags ?? []), opts.script], {
    env: { ...process.env, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group: Ctrl-C in the terminal signals the whole foreground group, and
    // the runner, not the terminal, must decide the stop order (services before NATS).
    detached: true,
  });
  const exited = new Promise<ProcessExit>((resolve) => child.once('exit', (code, signal) => { log.end(); resolve({ code, signal }); }));
  child.stderr?.on('data', (chunk: Buffer) => log.write(chunk));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new AppError({
        code: CLI_ERROR_CODES.serviceStartFailed, retryable: true, details: { service: opts.name },
        message: `${opts.name} did not start within ${opts.startTimeoutMs} ms; see ${opts.logFile}`,
      }));
    }, opts.startTimeoutMs);
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      log.write(line + '\n');
      opts.onLine?.(line);
      const started = parseStarted(line);
      if (started) {
        clearTimeout(timer);
        resolve({ name: opts.name, child, ports: started.ports, exited });
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new AppError({
        code: CLI_ERROR_CODES.serviceStartFailed, retryable: true, details: { service: opts.name, code, signal },
        message: `${opts.name} ended (${describeExit(code, signal)}) while starting; see ${opts.logFile}`,
      }));
    });
  });
}

function parseStarted(line: string): StartedLine | undefined {
  if (!line.includes('service.started')) return undefined;
  try {
    const parsed = JSON.parse(line) as { event?: string; ports?: Record<string, number> };
    return parsed.event === 'service.started' ? { ports: parsed.ports ?? {} } : undefined;
  } catch {
    return undefined;
  }
}

/** Sends `signal`, and SIGKILL if the process is still there after `timeoutMs`. */
export async function stopServiceProcess(p: ServiceProcess, signal: NodeJS.Signals, timeoutMs: number): Promise<StopOutcome> {
  const started = Date.now();
  if (p.child.exitCode !== null || p.child.signalCode !== null) return { exit: await p.exited, forced: false, ms: 0 };
  let forced = false;
  const timer = setTimeout(() => {
    forced = signal !== 'SIGKILL';
    p.child.kill('SIGKILL');
  }, timeoutMs);
  p.child.kill(signal);
  const exit = await p.exited.finally(() => clearTimeout(timer));
  return { exit, forced, ms: Date.now() - started };
}
