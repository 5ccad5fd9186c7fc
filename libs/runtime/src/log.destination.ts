// Where log lines go when no destination is given: stdout, buffered, one sink per process.
//
// Why buffered: a service logs about one line per message it handles, and one write(2) per
// line was a visible share of each service's CPU under `./dev load` (issue 14: the pino
// `writeSync` frames, ~0.1-0.3 ms per line on a busy 2-core box). Lines now collect in memory
// and go out together once BUFFER_BYTES have collected, and every FLUSH_INTERVAL_MS whatever
// has: a few writes per second instead of one per line.
//
// Why the writes stay synchronous (sonic-boom `sync: true` with `minLength`) rather than
// pino's asynchronous mode: an asynchronous write runs on libuv's thread pool, and one still
// in flight when the process exits is lost, or lands after lines that `flushSync()` wrote
// later, and those are exactly the last words an operator needs. Synchronous batches cost one write(2)
// per batch and can always be completed by `flushSync()`.
//
// Nothing is lost on the way out: the 'exit' handler flushes (process.exit from the shutdown
// and crash paths, and a natural end), pino flushes on every `fatal` line (crash and config
// error lines are fatal), and an uncaught exception runs 'exit' too. Only SIGKILL or a native
// crash can lose the last FLUSH_INTERVAL_MS of lines. LOG_SYNC=true writes every line at once,
// as before, for debugging a hang or a crash that outruns the buffer.
//
// One sink per process, shared by every logger: two buffers on one fd would interleave lines
// out of order (a crash handler's fatal line before the lines that led to it).
import pino from 'pino';

/** Bytes collected before they are written without waiting for the timer (< sonic-boom maxWrite, 16 KiB). */
export const BUFFER_BYTES = 8192;
/** The longest a line waits in the buffer; also how stale `kubectl logs -f` may be. */
export const FLUSH_INTERVAL_MS = 200;

export interface LogSink extends pino.DestinationStream {
  /** Writes whatever is buffered, synchronously (pino calls it after each fatal line). */
  flushSync(): void;
}

export interface LogSinkOptions {
  readonly fd: number;
  /** Write each line at once (LOG_SYNC=true). */
  readonly sync: boolean;
  readonly bufferBytes?: number;
  readonly flushIntervalMs?: number;
}

/** LOG_SYNC: read from the environment directly, since the first lines come before the config is loaded. */
export function logSyncFromEnv(env: NodeJS.ProcessEnv = process.env): boolean {
  const value = (env['LOG_SYNC'] ?? '').trim().toLowerCase();
  return value === 'true' || value === '1' || value === 'yes' || value === 'on';
}

/**
 * A sink that opens its buffer (and registers its 'exit' flush) on the first line, so a
 * process or test file whose loggers never write adds no timer and no listener.
 */
export function createLogSink(options: LogSinkOptions): LogSink {
  let boom: ReturnType<typeof pino.destination> | undefined;
  const open = (): ReturnType<typeof pino.destination> => {
    if (options.sync) {
      boom = pino.destination({ dest: options.fd, sync: true });
      return boom;
    }
    boom = pino.destination({
      dest: options.fd,
      sync: true,
      minLength: options.bufferBytes ?? BUFFER_BYTES,
      // sonic-boom's own unref'd interval: writes what has collected, so a quiet service's
      // lines (its start line, an occasional warning) still come out within the interval.
      periodicFlush: options.flushIntervalMs ?? FLUSH_INTERVAL_MS,
    });
    process.once('exit', flushQuietly);
    return boom;
  };
  const flushQuietly = (): void => {
    try {
      boom?.flushSync();
    } catch {
      // stdout closed (EPIPE) or gone: nowhere left to write to.
    }
  };
  return {
    write: (line: string) => {
      (boom ?? open()).write(line);
    },
    flushSync: flushQuietly,
  };
}

let stdoutSink: LogSink | undefined;

/** The process's stdout sink (created once; LOG_SYNC is read then). */
export function stdoutLogSink(): LogSink {
  stdoutSink ??= createLogSink({ fd: 1, sync: logSyncFromEnv() });
  return stdoutSink;
}
