import { randomBytes } from 'node:crypto';
import { createHash } from 'node:crypto';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { nanos, nuid } from '@nats-io/nats-core';
import { getSha256Backend, Objm } from '@nats-io/obj';
import { RAW_MAIL_MAX_AGE_MS, STREAMS } from '@inviteflow/contracts';
import { connectForTest } from './int-test.support';
import type { NatsHandle } from './nats.connection';
import { objectSha256Hex, openRawMailStore, type RawMailStore } from './raw-mail.store';

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

  test('When the bucket is created, then its stream keeps raw mail one day longer than a dead letter', async () => {
    // Act
    const info = await (await jetstreamManager(conn.nc)).streams.info(`OBJ_${bucket}`);

    // Assert: a replay of a dead-lettered mail.received.v1 still finds the bytes it references.
    expect(info.config.max_age).toBe(nanos(RAW_MAIL_MAX_AGE_MS));
    expect(RAW_MAIL_MAX_AGE_MS).toBe(STREAMS.deadLetter.maxAgeMs + 24 * 60 * 60 * 1000);
  });

  test('When a bucket made without a retention is opened, then its stream gets the retention and keeps its objects', async () => {
    // Arrange: the bucket as the code before the retention created it (no ttl).
    const older = `raw-mail-test-${randomBytes(5).toString('hex')}`;
    const made = await new Objm(conn.nc).create(older, { replicas: 1 });
    try {
      const jsm = await jetstreamManager(conn.nc);
      expect((await jsm.streams.info(`OBJ_${older}`)).config.max_age).toBe(0);
      const stored = await made.putBlob({ name: 'msg-old' }, Buffer.from('kept'));

      // Act
      const reopened = await openRawMailStore(conn.nc, { bucket: older });

      // Assert
      expect((await jsm.streams.info(`OBJ_${older}`)).config.max_age).toBe(nanos(RAW_MAIL_MAX_AGE_MS));
      expect(Buffer.from(await reopened.get('msg-old', objectSha256Hex(stored))).toString()).toBe('kept');
    } finally {
      await made.destroy();
    }
  });

  test('When raw mail is older than the retention, then the object and the chunks of a cut-off write are both removed', async () => {
    // Arrange: a one-second retention; one stored mail, and one chunk with no metadata naming it,
    // as a kill -9 in the middle of a put leaves it.
    const short = `raw-mail-test-${randomBytes(5).toString('hex')}`;
    const shortLived = await openRawMailStore(conn.nc, { bucket: short, maxAgeMs: 1_000 });
    try {
      const ref = await shortLived.put('msg-expiring', Buffer.from('From: a@example.com\r\n\r\nbody'));
      await jetstream(conn.nc).publish(`$O.${short}.C.${nuid.next()}`, randomBytes(1024));
      const jsm = await jetstreamManager(conn.nc);
      expect((await jsm.streams.info(`OBJ_${short}`)).state.messages).toBe(3);

      // Act: wait (bounded) for the server's max_age to remove them.
      let left = 3;
      for (let attempt = 0; attempt < 100 && left > 0; attempt++) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        left = (await jsm.streams.info(`OBJ_${short}`)).state.messages;
      }

      // Assert
      expect(left).toBe(0);
      await expect(shortLived.get('msg-expiring', ref.sha256)).rejects.toMatchObject({ code: 'RAW_MAIL_NOT_FOUND' });
    } finally {
      await (await new Objm(conn.nc).open(short)).destroy();
    }
  });
});
