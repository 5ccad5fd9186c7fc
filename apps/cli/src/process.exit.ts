// process.exit() drops whatever is still queued on a piped stdout: Node writes to a pipe
// asynchronously on POSIX, so `inviteflow diary --json | jq` used to receive the first
// 128 KiB (two pipe buffers) of a larger document. Exit only once both streams are flushed.

/** Resolves once everything written to `stream` so far has been handed to the OS. */
export function flushed(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((resolve) => {
    // A reader that went away (`| head`) ends the wait too; there is nobody left to write to.
    stream.once('error', () => resolve());
    // An empty write's callback runs after every earlier queued chunk (writes stay in order).
    stream.write('', () => resolve());
  });
}

/** Sets the exit code, waits for stdout and stderr to drain, then exits. */
export async function exitWhenFlushed(code: number): Promise<never> {
  process.exitCode = code;
  await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
  process.exit(code);
}
