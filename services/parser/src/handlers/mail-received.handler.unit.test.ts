// Where the parser takes a mail's bytes from: inline in mail.received.v1 (issue 14) or the
// object store, checked against the event's sha256 either way. The object store itself is
// covered by libs/messaging raw-mail.store.int.test.ts; the parse by parser-core's tests.
import { createHash } from 'node:crypto';
import type { RawMailStore } from '@inviteflow/messaging';
import { DEFAULT_PARSE_LIMITS } from '@inviteflow/parser-core';
import { eventsV1 } from '@inviteflow/proto-gen';
import { onMailReceived, type ParseMail } from './mail-received.handler';

const raw = Buffer.from('From: a@example.net\r\nMessage-ID: <x@example.net>\r\n\r\nno calendar here\r\n');
const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

function receivedEvent(fields: Partial<eventsV1.MailReceived>): Uint8Array {
  return eventsV1.MailReceived.encode(eventsV1.MailReceived.fromPartial({
    mailId: 'mail-1', envelopeFrom: 'a@example.net', envelopeTo: ['homer@example.org'], size: raw.length, sha256: sha(raw), source: 'smtp', ...fields,
  })).finish();
}

function harness() {
  const parsed: Buffer[] = [];
  const deliveries: number[] = [];
  const gets: string[] = [];
  const published: Array<{ subject: string; payload: Uint8Array }> = [];
  const rawMail: RawMailStore = {
    put: async () => { throw new Error('the parser never stores'); },
    get: async (name) => (gets.push(name), new Uint8Array(raw)),
  };
  const parseMail: ParseMail = async (bytes, _ctx, _limits, deliveryCount) => {
    parsed.push(bytes);
    deliveries.push(deliveryCount);
    return { kind: 'ignored', reasonCode: 'NO_CALENDAR_CONTENT', detail: 'no text/calendar part' };
  };
  const handle = onMailReceived({ rawMail, parseMail, limits: DEFAULT_PARSE_LIMITS, publish: async (subject, payload) => void published.push({ subject, payload }) });
  return { handle, parsed, deliveries, gets, published };
}

describe('mail.received.v1 in the parser', () => {
  test('When the bytes are inline, then they are parsed without reading the object store, and the outcome names no object', async () => {
    const h = harness();
    const data = receivedEvent({ rawInline: raw });

    await h.handle(data);

    expect(h.gets).toEqual([]);
    expect(h.parsed).toHaveLength(1);
    expect(h.parsed[0]!.equals(raw)).toBe(true);
    expect(h.published.map((p) => p.subject)).toEqual(['mail.ignored.v1']);
    expect(eventsV1.MailOutcome.decode(h.published[0]!.payload)).toMatchObject({ mailId: 'mail-1', objectName: '', sha256: sha(raw) });
  });

  test('When the inline bytes are handed to a parse worker (transferred), then the event\'s own payload is untouched', async () => {
    const h = harness();
    const data = receivedEvent({ rawInline: raw });
    const before = Buffer.from(data);

    await h.handle(data);
    const given = h.parsed[0]!;
    structuredClone(given.buffer, { transfer: [given.buffer as ArrayBuffer] });

    expect(given.byteLength).toBe(0);
    expect(Buffer.from(data).equals(before)).toBe(true);
  });

  test('When the inline bytes do not match the event\'s sha256, then RAW_MAIL_DIGEST_MISMATCH (not retryable, as for a stored object) and nothing is parsed or published', async () => {
    const h = harness();

    await expect(h.handle(receivedEvent({ rawInline: Buffer.from('tampered'), sha256: sha(raw) })))
      .rejects.toMatchObject({ code: 'RAW_MAIL_DIGEST_MISMATCH', retryable: false });
    expect(h.parsed).toEqual([]);
    expect(h.published).toEqual([]);
  });

  test('When the event names an object, then the bytes are read from the object store (events from before inline mail)', async () => {
    const h = harness();

    await h.handle(receivedEvent({ objectStore: 'raw-mail', objectName: 'mail-1' }));

    expect(h.gets).toEqual(['mail-1']);
    expect(h.parsed[0]!.equals(raw)).toBe(true);
  });

  test('When an empty mail comes inline, then the empty message is parsed (inline is told by the missing object name, not by the bytes)', async () => {
    const h = harness();

    await h.handle(receivedEvent({ size: 0, sha256: sha(Buffer.alloc(0)) }));

    expect(h.gets).toEqual([]);
    expect(h.parsed[0]!.byteLength).toBe(0);
  });

  test('When JetStream redelivers a mail, then its delivery count reaches parseMail (a redelivery is parsed in a worker)', async () => {
    const h = harness();

    await h.handle(receivedEvent({ rawInline: raw }));
    await h.handle(receivedEvent({ rawInline: raw }), 3);

    expect(h.deliveries).toEqual([1, 3]);
  });

  test('When the mail is authenticated beside the parse, then both read the same bytes, uncopied', async () => {
    const seen: Buffer[] = [];
    const rawMail: RawMailStore = { put: async () => { throw new Error('unused'); }, get: async () => new Uint8Array(raw) };
    const handle = onMailReceived({
      rawMail, limits: DEFAULT_PARSE_LIMITS, publish: async () => undefined,
      parseMail: async (bytes) => (seen.push(bytes), { kind: 'ignored', reasonCode: 'NO_CALENDAR_CONTENT', detail: 'none' }),
      authenticate: async (bytes) => (seen.push(bytes), eventsV1.MailAuthentication.fromPartial({})),
    });

    await handle(receivedEvent({ rawInline: raw }));

    expect(seen).toHaveLength(2);
    expect(seen[0]!.equals(raw)).toBe(true);
    expect(seen[0]!.buffer).toBe(seen[1]!.buffer);
  });
});
