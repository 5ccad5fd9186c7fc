import { ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, WriteStream } from 'node:fs';
import { createInterface } from 'node:readline';

/** What a service logs once it is up: `{"event":"service.started","ports":{...}}`. */
export interface StartedLine {
  ports: Record<string, number>;
}

export interface ServiceProcess {
  name: string;
  child: ChildProcess;
  ports: Record<string, number>;
  exited: Promise<number | null>;
}

/**
 * Starts one service as its own process with the project's Node 24 (the one running this
 * CLI), copies its JSON log lines to a file, and resolves once it reported being started.
 */
export function startServiceProcess(opts: {
  name: string;
  script: string;
  env: Record<string, string>;
  logFile: string;
  startTimeoutMs: number;
  onLine?: (line: string) => void;
}): Promise<ServiceProcess> {
  const log: WriteStream = createWriteStream(opts.logFile, { flags: 'a' });
  const child = spawn(process.execPath, ['--enable-source-maps', opts.script], {
    env: { ...process.env, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => { log.end(); resolve(code); }));
  child.stderr?.on('data', (chunk: Buffer) => log.write(chunk));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${opts.name} did not start within ${opts.startTimeoutMs} ms; see ${opts.logFile}`));
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
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${opts.name} exited with code ${code} while starting; see ${opts.logFile}`));
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

export function stopServiceProcess(p: ServiceProcess, signal: NodeJS.Signals, timeoutMs: number): Promise<number | null> {
  if (p.child.exitCode !== null || p.child.signalCode !== null) return p.exited;
  const timer = setTimeout(() => p.child.kill('SIGKILL'), timeoutMs);
  p.child.kill(signal);
  return p.exited.finally(() => clearTimeout(timer));
}
