import { randomBytes } from 'node:crypto';
import { createHash } from 'node:crypto';
import { getSha256Backend, Objm } from '@nats-io/obj';
import { connectForTest } from './int-test.support';
import type { NatsHandle } from './nats.connection';
import { openRawMailStore, type RawMailStore } from './raw-mail.store';

let conn: NatsHandle;
let bucket: string;
let store: RawMailStore;

beforeAll(async () => {
  conn = await connectForTest();
});

afterAll(async () => {
  await conn.drain();
});

beforeEach(async () => {
  bucket = `raw-mail-test-${randomBytes(5).toString('hex')}`;
  store = await openRawMailStore(conn.nc, { bucket });
});

afterEach(async () => {
  const opened = await new Objm(conn.nc).open(bucket);
  await opened.destroy();
});

describe('raw mail store', () => {
  test('When raw mail larger than a NATS message is put, then get returns the same bytes and the reference has its sha256 and size', async () => {
    // Arrange: 2 MB, above the server's default 1 MB max payload, so it must be chunked.
    const eml = randomBytes(2 * 1024 * 1024);

    // Act
    const ref = await store.put('<CAF00D@mail.example.com>', eml);
    const back = await store.get(ref.name, ref.sha256);

    // Assert
    expect(ref).toEqual({
      name: '<CAF00D@mail.example.com>',
      sha256: createHash('sha256').update(eml).digest('hex'),
      size: eml.byteLength,
    });
    expect(Buffer.from(back).equals(eml)).toBe(true);
    // The object store hashed the chunks with node:crypto, not its pure-JS default.
    expect(getSha256Backend()).toBe('native');
  });

  test('When the stored bytes do not match the expected sha256, then get throws RAW_MAIL_DIGEST_MISMATCH', async () => {
    // Arrange
    const original = await store.put('msg-1', Buffer.from('From: a@example.com\r\n\r\nfirst'));
    await store.put('msg-1', Buffer.from('From: a@example.com\r\n\r\nreplaced'));

    // Act
    const reading = store.get('msg-1', original.sha256);

    // Assert
    await expect(reading).rejects.toMatchObject({ code: 'RAW_MAIL_DIGEST_MISMATCH', retryable: false });
  });

  test('When the object is missing, then get throws RAW_MAIL_NOT_FOUND', async () => {
    await expect(store.get('never-stored', 'ab'.repeat(32))).rejects.toMatchObject({ code: 'RAW_MAIL_NOT_FOUND', retryable: false });
  });

  test('When the bucket is opened again, then the existing objects are still there', async () => {
    // Arrange
    const ref = await store.put('msg-2', Buffer.from('kept'));

    // Act
    const reopened = await openRawMailStore(conn.nc, { bucket });

    // Assert
    expect(Buffer.from(await reopened.get('msg-2', ref.sha256)).toString()).toBe('kept');
  });
});
