// storeAndAnnounce's decisions (inline or by reference, duplicates, the order of store,
// publish and record) with an in-memory writer; the real object store and SMTP are covered
// by test/smtp.listener.int.test.ts and the mailbox tests.
import { createHash } from 'node:crypto';
import type { RawMailRef, RawMailStreamWriter } from '@inviteflow/messaging';
import { eventsV1 } from '@inviteflow/proto-gen';
import type { AcceptedMail } from '../smtp/smtp.listener';
import { type MailDedupe, storeAndAnnounce } from './mail-accepted.handler';

const raw = Buffer.from('Message-ID: <a@example.net>\r\nSubject: hi\r\n\r\nbody\r\n');

function mailOf(bytes: Buffer, mailId = 'mail-1'): AcceptedMail {
  return {
    mailId, messageId: Promise.resolve('<a@example.net>'), envelopeFrom: 'a@example.net', envelopeTo: ['homer@example.org'], receivedAt: new Date(0),
    body: new ReadableStream({ start: (c) => (c.enqueue(bytes), c.close()) }),
  };
}

function world(firstAnnouncedAs?: string) {
  const steps: string[] = [];
  const stored = new Map<string, Buffer>();
  const events: eventsV1.MailReceived[] = [];
  const rawMail: Pick<RawMailStreamWriter, 'putStream'> = {
    putStream: async (name, body): Promise<RawMailRef> => {
      const chunks: Uint8Array[] = [];
      for await (const chunk of body) chunks.push(chunk);
      const bytes = Buffer.concat(chunks);
      stored.set(name, bytes);
      steps.push(`put ${name}`);
      return { name, sha256: createHash('sha256').update(bytes).digest('hex'), size: bytes.length };
    },
  };
  const dedupe: MailDedupe = {
    announcedAs: async () => (steps.push('announcedAs'), firstAnnouncedAs),
    record: async () => void steps.push('record'),
    copyFound: async (name) => void steps.push(name === undefined ? 'copy found inline' : `copy found, discard ${name}`),
  };
  const publish = async (_subject: string, payload: Uint8Array): Promise<void> => {
    events.push(eventsV1.MailReceived.decode(payload));
    steps.push('publish');
  };
  return { steps, stored, events, rawMail, dedupe, publish };
}

describe('storeAndAnnounce', () => {
  test('Given a mail within the inline limit, when it is announced, then the event carries its bytes and nothing is stored', async () => {
    const w = world();

    const ref = await storeAndAnnounce(mailOf(raw), { rawMail: w.rawMail, publish: w.publish, inlineMaxBytes: 1024 });

    expect(ref).toMatchObject({ inline: true, name: '', size: raw.length });
    expect(w.events[0]).toMatchObject({ objectName: '', objectStore: '', size: raw.length, sha256: createHash('sha256').update(raw).digest('hex') });
    expect(w.events[0]!.rawInline.equals(raw)).toBe(true);
    expect(w.stored.size).toBe(0);
  });

  test('Given an inline event that would not fit the server (a huge envelope), when it is announced, then the bytes go by reference instead', async () => {
    const w = world();

    const ref = await storeAndAnnounce(mailOf(raw), { rawMail: w.rawMail, publish: w.publish, inlineMaxBytes: 1024, maxEventBytes: raw.length });

    expect(ref).toMatchObject({ inline: false, name: 'mail-1' });
    expect(w.events[0]).toMatchObject({ objectName: 'mail-1', objectStore: 'raw-mail' });
    expect(w.events[0]!.rawInline.length).toBe(0);
    expect(w.stored.get('mail-1')?.equals(raw)).toBe(true);
  });

  test('Given dedupe, when a new mail comes inline, then it is published before it is recorded (a crash between republishes, never loses)', async () => {
    const w = world();

    await storeAndAnnounce(mailOf(raw), { rawMail: w.rawMail, publish: w.publish, dedupe: w.dedupe, inlineMaxBytes: 1024 });

    expect(w.steps).toEqual(['announcedAs', 'publish', 'record']);
  });

  test('Given a copy of a mail announced before, when it came inline, then nothing is published, the copy is counted and there is no object to discard', async () => {
    const w = world('first-mail');

    const ref = await storeAndAnnounce(mailOf(raw, 'copy'), { rawMail: w.rawMail, publish: w.publish, dedupe: w.dedupe, inlineMaxBytes: 1024 });

    expect(ref).toMatchObject({ duplicateOf: 'first-mail', inline: true });
    expect(w.steps).toEqual(['announcedAs', 'copy found inline']);
  });

  test('Given a copy of a mail announced before, when it was stored by reference, then its object is discarded and nothing is published', async () => {
    const w = world('first-mail');

    const ref = await storeAndAnnounce(mailOf(raw, 'copy'), { rawMail: w.rawMail, publish: w.publish, dedupe: w.dedupe, inlineMaxBytes: 0 });

    expect(ref).toMatchObject({ duplicateOf: 'first-mail', inline: false });
    expect(w.steps).toEqual(['put copy', 'announcedAs', 'copy found, discard copy']);
  });

  describe('two copies of one mail at once (look-ups grouped into one read, issue 14)', () => {
    /** A record kept in memory whose look-ups answer only after every caller asked (one shared read). */
    function sharedReadDedupe(failFirstPublish = false) {
      const recorded = new Map<string, string>();
      const published: string[] = [];
      let publishes = 0;
      const dedupe: MailDedupe = {
        announcedAs: async (fp) => {
          await new Promise((resolve) => setImmediate(resolve));
          return recorded.get(fp);
        },
        record: async (fp, entry) => void (recorded.has(fp) || recorded.set(fp, entry.mailId)),
        copyFound: async () => undefined,
      };
      const publish = async (_subject: string, payload: Uint8Array): Promise<void> => {
        publishes += 1;
        if (failFirstPublish && publishes === 1) throw new Error('no PubAck');
        published.push(eventsV1.MailReceived.decode(payload).mailId);
      };
      return { dedupe, publish, published, recorded };
    }

    test('Given two copies arriving together, when both are announced, then one is published and the other is found to be its copy', async () => {
      const d = sharedReadDedupe();
      const deps = { rawMail: world().rawMail, publish: d.publish, dedupe: d.dedupe, inlineMaxBytes: 1024 };

      const [one, two] = await Promise.all([storeAndAnnounce(mailOf(raw, 'smtp-copy'), deps), storeAndAnnounce(mailOf(raw, 'imap-copy'), deps)]);

      expect(d.published).toEqual(['smtp-copy']);
      expect(one.duplicateOf).toBeUndefined();
      expect(two.duplicateOf).toBe('smtp-copy');
    });

    test('Given two copies arriving together, when the first fails to publish, then the second is announced (a failure loses nothing)', async () => {
      const d = sharedReadDedupe(true);
      const deps = { rawMail: world().rawMail, publish: d.publish, dedupe: d.dedupe, inlineMaxBytes: 1024 };

      const [one, two] = await Promise.allSettled([storeAndAnnounce(mailOf(raw, 'first'), deps), storeAndAnnounce(mailOf(raw, 'retry'), deps)]);

      expect(one.status).toBe('rejected');
      expect(two).toMatchObject({ status: 'fulfilled', value: { inline: true } });
      expect(d.published).toEqual(['retry']);
      expect([...d.recorded.values()]).toEqual(['retry']);
    });

    test('Given two different mails arriving together, when they are announced, then neither waits for the other', async () => {
      const d = sharedReadDedupe();
      const deps = { rawMail: world().rawMail, publish: d.publish, dedupe: d.dedupe, inlineMaxBytes: 1024 };
      const other = Buffer.from('Message-ID: <b@example.net>\r\n\r\nanother body\r\n');
      const asked: string[] = [];
      const announcedAs = d.dedupe.announcedAs;
      d.dedupe.announcedAs = async (fp) => (asked.push(fp), announcedAs(fp));

      const both = Promise.all([storeAndAnnounce(mailOf(raw, 'a'), deps), storeAndAnnounce(mailOf(other, 'b'), deps)]);
      await new Promise((resolve) => setTimeout(resolve, 0));
      // Both look-ups are out before either answered: they can share one read.
      expect(asked).toHaveLength(2);
      await both;

      expect(d.published.sort()).toEqual(['a', 'b']);
    });
  });
});

