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
});
