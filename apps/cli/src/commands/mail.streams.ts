import { DEAD_LETTER_PREFIX, RAW_MAIL_BUCKET, STREAMS, SUBJECTS } from '@inviteflow/contracts';
import type { NatsConnection } from '@nats-io/nats-core';
import { Objm } from '@nats-io/obj';
import type { JetStreamClient } from '@nats-io/jetstream';
import { eventsV1 } from '@inviteflow/proto-gen';
import { DeadLetter, toDeadLetter } from './dead-letter.record';
import { bareMessageId, mailIdOf } from './event.mail-id';
import { ScanStats, scanStream } from './stream.scan';

/** A stream message decoded, with where and when the stream stored it. */
export interface Stored<T> {
  stream: string;
  seq: number;
  /** The stream's clock: comparable across streams on one cluster, unlike event fields. */
  storedAt: Date;
  event: T;
}

export interface ParserOutcome {
  kind: 'ignored' | 'rejected';
  record: Stored<eventsV1.MailOutcome>;
}

/** What the MAIL, INVITE and DLQ streams still hold about one delivered mail. */
export interface MailTrail {
  parsed: Stored<eventsV1.InviteParsed>[];
  /** The invite.parsed.v1 scan reached the end: `parsed` holds every UID the mail has. */
  parsedComplete: boolean;
  outcomes: ParserOutcome[];
  deadLetters: DeadLetter[];
  scans: ScanStats[];
}

/**
 * Clock skew allowed between stream leaders (each stamps its own messages) when later
 * events are looked for from the time the mail was received.
 */
const SKEW_MS = 60_000;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The mail.received.v1 events whose mail id or Message-ID is `query`. A mail id (ingest makes
 * UUIDs) is also the raw mail's object name when the bytes were stored by reference, and the
 * object store finds that in one request: its modification time lets the scan start where the
 * event is. A small mail's bytes travel inline in the event (RAW_INLINE_MAX_BYTES, issue 14),
 * so it has no object: its scan starts at the beginning of the stream. Either way a mail id
 * names one delivery and the scan stops at it. A Message-ID has no such key (and may name
 * several deliveries), so it costs a pass over every mail.received.v1 the MAIL stream keeps
 * (14 days), bounded by `limit`.
 */
export async function findReceived(nc: NatsConnection, js: JetStreamClient, query: string, limit: number): Promise<{ mails: Stored<eventsV1.MailReceived>[]; scans: ScanStats[] }> {
  const wanted = bareMessageId(query);
  // The bytes are stored just before the event is published, so nothing earlier can match; a
  // mail id without stored bytes (or a Message-ID) costs the whole pass.
  const bytesStoredAt = UUID.test(wanted) ? await rawMailTime(nc, wanted) : null;
  const mails: Stored<eventsV1.MailReceived>[] = [];
  let foundMailId = false;
  const scan = await scanStream(js, {
    stream: STREAMS.mail.name, subjects: [SUBJECTS.mailReceivedV1], limit,
    from: bytesStoredAt ? new Date(bytesStoredAt.getTime() - SKEW_MS) : undefined,
    // A mail id names one delivery; a Message-ID may name several.
    done: () => foundMailId,
  }, (m) => {
    const event = decodeOrUndefined(() => eventsV1.MailReceived.decode(m.data));
    if (event && (event.mailId === wanted || bareMessageId(event.messageId) === wanted)) {
      mails.push({ stream: m.stream, seq: m.seq, storedAt: m.time, event });
      foundMailId ||= event.mailId === wanted;
    }
  });
  return { mails, scans: [scan] };
}

/**
 * Everything published about `mailId` after it was received: the parser's invite.parsed.v1
 * (one per UID) or its mail.ignored.v1 / mail.rejected.v1, and dead letters whose payload names
 * the mail. Each is one pass over its subjects from `since` (minus the skew) to the end,
 * bounded by `limit`: cheap for a recent mail, proportional to later traffic for an old one.
 */
export async function findTrail(js: JetStreamClient, mailId: string, since: Date, limit: number): Promise<MailTrail> {
  const from = new Date(since.getTime() - SKEW_MS);
  const trail: MailTrail = { parsed: [], parsedComplete: false, outcomes: [], deadLetters: [], scans: [] };
  trail.scans = await Promise.all([
    scanStream(js, { stream: STREAMS.invite.name, subjects: [SUBJECTS.inviteParsedV1], from, limit }, (m) => {
      const event = decodeOrUndefined(() => eventsV1.InviteParsed.decode(m.data));
      if (event?.mailId === mailId) trail.parsed.push({ stream: m.stream, seq: m.seq, storedAt: m.time, event });
    }),
    scanStream(js, { stream: STREAMS.mail.name, subjects: [SUBJECTS.mailIgnoredV1, SUBJECTS.mailRejectedV1], from, limit }, (m) => {
      const event = decodeOrUndefined(() => eventsV1.MailOutcome.decode(m.data));
      if (event?.mailId !== mailId) return;
      const kind = m.subject === SUBJECTS.mailIgnoredV1 ? 'ignored' : 'rejected';
      trail.outcomes.push({ kind, record: { stream: m.stream, seq: m.seq, storedAt: m.time, event } });
    }),
    scanStream(js, { stream: STREAMS.deadLetter.name, subjects: [`${DEAD_LETTER_PREFIX}.>`], from, limit }, (m) => {
      if (mailIdOf(m.subject.slice(DEAD_LETTER_PREFIX.length + 1), m.data) === mailId) trail.deadLetters.push(toDeadLetter(m));
    }),
  ]);
  trail.parsedComplete = !trail.scans[0]!.truncated;
  return trail;
}

/** When the raw bytes of `mailId` were stored, or null (no bucket, no such object). */
async function rawMailTime(nc: NatsConnection, mailId: string): Promise<Date | null> {
  try {
    const info = await (await new Objm(nc).open(RAW_MAIL_BUCKET)).info(mailId);
    return info && !info.deleted ? new Date(info.mtime) : null;
  } catch {
    return null;
  }
}

function decodeOrUndefined<T>(decode: () => T): T | undefined {
  try {
    return decode();
  } catch {
    return undefined;
  }
}
