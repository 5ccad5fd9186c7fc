import { PassThrough } from 'node:stream';
import { meterBody } from './message-body.meter';

async function readAll(body: ReadableStream<Uint8Array>): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of body) chunks.push(chunk);
  return Buffer.concat(chunks);
}

describe('meterBody', () => {
  test('When a message under the limit arrives, then the body carries it whole and the Message-ID comes from its header block', async () => {
    const source = new PassThrough();
    const metered = meterBody(source, 1024);

    source.write('Message-ID: <m1@test.example>\r\n');
    source.end('\r\nhello\r\n');

    expect((await readAll(metered.body)).toString()).toBe('Message-ID: <m1@test.example>\r\n\r\nhello\r\n');
    expect(await metered.messageId).toBe('<m1@test.example>');
    expect(await metered.ended).toEqual({ bytes: 40, exceeded: false });
  });

  test('When the body is not read, then the source is paused once the body holds its high-water mark', async () => {
    const source = new PassThrough();
    meterBody(source, 10 * 1024 * 1024);

    for (let i = 0; i < 8; i++) source.write(Buffer.alloc(64 * 1024));
    await new Promise((resolve) => setImmediate(resolve));

    expect(source.isPaused()).toBe(true);
  });

  test('When the limit is passed, then the body errors MESSAGE_TOO_LARGE and the rest is counted and dropped until the end', async () => {
    const source = new PassThrough();
    const metered = meterBody(source, 100 * 1024);
    const read = readAll(metered.body).then(() => 'ok', (err: unknown) => err);

    for (let i = 0; i < 32; i++) source.write(Buffer.alloc(64 * 1024, 'x'));
    source.end();

    expect(await read).toMatchObject({ code: 'MESSAGE_TOO_LARGE', responseCode: 552 });
    expect(await metered.ended).toEqual({ bytes: 32 * 64 * 1024, exceeded: true });
  });

  test('When the store fails, then fail() stops the body and the rest of DATA is still drained', async () => {
    const source = new PassThrough();
    const metered = meterBody(source, 10 * 1024 * 1024);
    const read = readAll(metered.body).then(() => 'ok', (err: unknown) => err);

    metered.fail(new Error('store down'));
    for (let i = 0; i < 32; i++) source.write(Buffer.alloc(64 * 1024));
    source.end();

    expect(await read).toMatchObject({ message: 'store down' });
    expect(await metered.ended).toEqual({ bytes: 32 * 64 * 1024, exceeded: false });
  });

  test('When the connection drops mid-DATA, then ended carries SMTP_CLIENT_DISCONNECTED', async () => {
    const source = new PassThrough();
    const metered = meterBody(source, 1024);
    const read = readAll(metered.body).then(() => 'ok', (err: unknown) => err);

    source.write('Subject: half');
    source.destroy();

    expect(await read).toMatchObject({ code: 'SMTP_CLIENT_DISCONNECTED' });
    expect((await metered.ended).error).toMatchObject({ code: 'SMTP_CLIENT_DISCONNECTED' });
  });
});
