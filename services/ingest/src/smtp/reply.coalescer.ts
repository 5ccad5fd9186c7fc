import type { Writable } from 'node:stream';

/**
 * Makes the replies written in one turn of the event loop leave in one write. smtp-server
 * writes each reply with its own `socket.write`, one system call each; a client that
 * pipelines (RFC 2920 §3.1: nodemailer and most MTAs send MAIL, RCPT and DATA together) gets
 * its 250, 250 and 354 from one synchronous run of command handlers, so corking the socket at
 * the first write and uncorking it once that run is over (process.nextTick) sends them as one
 * writev (issue 14: socket writes led ingest's CPU profile). Nothing waits longer than the
 * current tick, and `end()` uncorks, so a closing reply (421) still goes out first.
 *
 * Per socket, on the socket object itself: smtp-server keeps no hook between accepting the
 * socket and writing to it.
 */
export function coalesceWrites(socket: Writable): void {
  const write = socket.write;
  let corked = false;
  const uncork = (): void => {
    corked = false;
    socket.uncork();
  };
  socket.write = function coalescedWrite(this: Writable, ...args: Parameters<Writable['write']>): boolean {
    if (!corked && !socket.destroyed) {
      corked = true;
      socket.cork();
      process.nextTick(uncork);
    }
    return write.apply(this, args);
  } as Writable['write'];
}
