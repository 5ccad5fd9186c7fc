import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ManagedProcess, spawnServer } from './child-process';
import { InfraPaths } from './paths';
import { INFRA_ERROR_CODES, infraError } from './infra.errors';

export interface LocalMongo {
  url: string;
  proc: ManagedProcess;
}

/** `cacheMb`: H2's page cache (the launcher's default, 128 MB, when absent). */
export type StandInBackend = { kind: 'memory' } | { kind: 'h2'; file: string; cacheMb?: number };

/**
 * Extra JVM options for the stand-in from INVITEFLOW_MONGO_JVM_OPTS (whitespace-separated),
 * placed after the defaults so they win (e.g. a Flight Recorder run:
 * `-XX:StartFlightRecording=filename=/tmp/s.jfr,settings=profile,dumponexit=true`). Opt-in,
 * for profiling; nothing sets it by default.
 */
export function standInJvmOptions(env: NodeJS.ProcessEnv = process.env): string[] {
  return (env['INVITEFLOW_MONGO_JVM_OPTS'] ?? '').split(/\s+/).filter((o) => o !== '');
}

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
  const jars = join(dir, 'lib', '*');
  const classes = await compiledLauncher(dir, launcher, jars);
  const main = classes ? ['-cp', `${jars}:${classes}`, 'MongoStandIn'] : ['-cp', jars, launcher];
  // C1 only: under ./dev load the C2 compiler thread was the stand-in's largest CPU consumer
  // (JFR); without it the stand-in's CPU per invitation fell from 8.7–9.3 to 5.2–5.3 ms at
  // 50/s and from 5.6–5.8 to 4.1–4.8 ms flat out (docs/mongo-stand-in.md). Override with
  // INVITEFLOW_MONGO_JVM_OPTS=-XX:TieredStopAtLevel=4 for a long run that would repay C2.
  const args = [`-Xmx${opts.heapMb ?? 512}m`, '-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1', ...standInJvmOptions(), ...main];
  args.push('--host', '127.0.0.1', '--port', String(opts.port ?? 0), '--backend', opts.backend.kind);
  if (opts.backend.kind === 'h2') {
    mkdirSync(join(opts.backend.file, '..'), { recursive: true });
    args.push('--file', opts.backend.file);
    if (opts.backend.cacheMb !== undefined) args.push('--cache-mb', String(opts.backend.cacheMb));
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

/**
 * The launcher compiled once per content into `<dir>/classes-<hash>`, so a start runs classes
 * instead of Java's single-file source launcher compiling MongoStandIn.java in the stand-in's
 * main thread every time (JFR: javac was ~3 s of CPU per start here, and over 60 s on a busy
 * 2-core machine, past the start timeout). Compiled into a temporary directory and renamed,
 * so concurrent starts never see half-written classes. Undefined (the source launcher then)
 * when there is no javac or it fails.
 */
export async function compiledLauncher(dir: string, launcher: string, jars: string): Promise<string | undefined> {
  const hash = createHash('sha256').update(readFileSync(launcher)).digest('hex').slice(0, 16);
  const classes = join(dir, `classes-${hash}`);
  if (existsSync(join(classes, 'MongoStandIn.class'))) return classes;
  let scratch: string | undefined;
  try {
    scratch = mkdtempSync(join(dir, '.classes-'));
    await promisify(execFile)('javac', ['-nowarn', '-d', scratch, '-cp', jars, launcher], { timeout: 180_000 });
    renameSync(scratch, classes);
    scratch = undefined;
  } catch {
    // Another start may have renamed its copy first (the rename then fails): use that one.
  } finally {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  }
  return existsSync(join(classes, 'MongoStandIn.class')) ? classes : undefined;
}
