import { Writable } from 'node:stream';
import { coalesceWrites } from './reply.coalescer';

/** A stand-in socket that records each write that reached it: one entry per system call. */
function recordingSocket() {
  const calls: string[][] = [];
  const socket = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      calls.push([chunk.toString()]);
      callback();
    },
    writev(chunks, callback) {
      calls.push(chunks.map((c) => String(c.chunk)));
      callback();
    },
  });
  return { socket, calls };
}

const nextTick = (): Promise<void> => new Promise((resolve) => process.nextTick(resolve));

describe('coalesceWrites', () => {
  test('Given replies written in one turn (pipelined MAIL, RCPT, DATA), when the turn ends, then they reach the socket as one write, in order', async () => {
    const { socket, calls } = recordingSocket();
    coalesceWrites(socket);

    socket.write('250 2.1.0 Accepted\r\n');
    socket.write('250 2.1.5 Accepted\r\n');
    socket.write('354 End data with <CR><LF>.<CR><LF>\r\n');
    expect(calls).toEqual([]);
    await nextTick();

    expect(calls).toEqual([['250 2.1.0 Accepted\r\n', '250 2.1.5 Accepted\r\n', '354 End data with <CR><LF>.<CR><LF>\r\n']]);
  });

  test('Given a reply in a later turn, when it is written, then it goes out in that turn and is not held for the next', async () => {
    const { socket, calls } = recordingSocket();
    coalesceWrites(socket);

    socket.write('354 go ahead\r\n');
    await nextTick();
    socket.write('250 2.0.0 queued as m-1\r\n');
    await nextTick();

    expect(calls).toEqual([['354 go ahead\r\n'], ['250 2.0.0 queued as m-1\r\n']]);
  });

  test('Given a closing reply, when the socket is ended in the same turn, then the reply still goes out before the end', async () => {
    const { socket, calls } = recordingSocket();
    coalesceWrites(socket);
    const finished = new Promise((resolve) => socket.once('finish', resolve));

    socket.write('421 4.3.2 shutting down\r\n');
    socket.end();
    await finished;

    expect(calls.flat()).toEqual(['421 4.3.2 shutting down\r\n']);
  });
});
