import { RAW_MAIL_BUCKET, SUBJECTS } from '@inviteflow/contracts';
import { captureRawMail, type CapturedRawMail, type RawMailRef, type RawMailStreamWriter } from '@inviteflow/messaging';
import { eventsV1 } from '@inviteflow/proto-gen';
import { KeyedTurns } from '../domain/keyed-turns';
import { BodyDigest, mailFingerprint } from '../domain/mail-fingerprint';
import type { AcceptedMail } from '../smtp/smtp.listener';

/**
 * Recognises a mail announced before under another mail id (ingest with a database only:
 * data/processed-mail.repository.ts). `copyFound` counts the copy and removes the object just
 * stored for it (a copy that came inline has none: `objectName` is undefined).
 */
export interface MailDedupe {
  announcedAs(fingerprint: string): Promise<string | undefined>;
  record(fingerprint: string, entry: { messageId: string; mailId: string; source: string }): Promise<void>;
  copyFound(objectName: string | undefined): Promise<void>;
}

export interface AcceptDeps {
  rawMail: Pick<RawMailStreamWriter, 'putStream'>;
  publish: (subject: string, payload: Uint8Array, msgId: string) => Promise<unknown>;
  dedupe?: MailDedupe;
  /** Mails of at most this many bytes travel inline in mail.received.v1 (RAW_INLINE_MAX_BYTES); 0 or unset: all by reference. */
  inlineMaxBytes?: number;
  /**
   * The largest mail.received.v1 payload the server takes (checkInlineLimit at start-up). An
   * inline event past it (a huge envelope beside the bytes) goes by reference instead.
   */
  maxEventBytes?: number;
}

/**
 * What was announced: the stored object (`name`), or `inline` with name '' when the bytes
 * travelled in the event; and when the mail was a copy of one announced before, that one's
 * mail id (nothing was published).
 */
export type AcceptedRef = RawMailRef & { inline: boolean; duplicateOf?: string };

/**
 * Makes the bytes durable, then announces them; only after both does SMTP answer 250. A mail
 * of at most `inlineMaxBytes` is durable with the event itself (its bytes inline: issue 14, no
 * object-store round trips); a larger one streams into the object store as it arrives, so it is
 * never held in memory, and the event carries the reference (architecture.md, Messaging). The
 * mail id is the msgID, so a retried publish of the same delivery is dropped by JetStream's
 * duplicate window. A body that errors (too large, client cut off) leaves no object behind.
 * `source` is 'smtp', or 'imap:<mailbox id>' for mail taken from a mailbox (src/imap).
 * With `dedupe`, a mail whose Message-ID + body hash was announced before is found to be a
 * copy, its stored object (if any) discarded, and not announced again (the first announcement
 * stands).
 */
export async function storeAndAnnounce(mail: AcceptedMail, deps: AcceptDeps, source = 'smtp'): Promise<AcceptedRef> {
  const digest = deps.dedupe ? new BodyDigest() : undefined;
  const body = digest ? digestTap(mail.body, digest) : mail.body;
  const captured = await captureRawMail(deps.rawMail, mail.mailId, body, deps.inlineMaxBytes ?? 0);
  const messageId = await mail.messageId;
  const fingerprint = digest ? mailFingerprint(messageId, digest.digest()) : undefined;
  if (!deps.dedupe || !fingerprint) return announce(mail, deps, source, messageId, captured);
  const dedupe = deps.dedupe;
  // Look-up, publish and record of one fingerprint take turns (domain/keyed-turns.ts): a copy
  // arriving while the first is being announced waits and then finds its record.
  return turnsOf(dedupe).run(fingerprint, async () => {
    const first = await dedupe.announcedAs(fingerprint);
    // The same mail id: our own earlier attempt got as far as the record; its object is this one.
    if (first !== undefined) {
      if (first !== mail.mailId) await dedupe.copyFound(captured.kind === 'object' ? captured.ref.name : undefined);
      return { ...refOf(captured), duplicateOf: first };
    }
    const ref = await announce(mail, deps, source, messageId, captured);
    await dedupe.record(fingerprint, { messageId, mailId: mail.mailId, source });
    return ref;
  });
}

const turns = new WeakMap<MailDedupe, KeyedTurns>();

/** One KeyedTurns per dedupe (i.e. per database): SMTP and mailbox intake share it. */
function turnsOf(dedupe: MailDedupe): KeyedTurns {
  let found = turns.get(dedupe);
  if (!found) turns.set(dedupe, (found = new KeyedTurns()));
  return found;
}

/** Publishes mail.received.v1: inline when it fits the server, else by reference (stored first). */
async function announce(mail: AcceptedMail, deps: AcceptDeps, source: string, messageId: string, captured: CapturedRawMail): Promise<AcceptedRef> {
  const fields = {
    mailId: mail.mailId, envelopeFrom: mail.envelopeFrom, envelopeTo: mail.envelopeTo, messageId, receivedAt: mail.receivedAt, source,
    authInputs: mail.authInputs, // sender authentication inputs (issue 15 pt 4)
  };
  let announced = captured;
  let event = encodeReceived(fields, announced);
  if (announced.kind === 'inline' && deps.maxEventBytes !== undefined && event.byteLength > deps.maxEventBytes) {
    announced = { kind: 'object', ref: await deps.rawMail.putStream(mail.mailId, streamOf(announced.bytes)) };
    event = encodeReceived(fields, announced);
  }
  await deps.publish(SUBJECTS.mailReceivedV1, event, `mail:${mail.mailId}`);
  return refOf(announced);
}

type ReceivedFields = Omit<eventsV1.MailReceived, 'objectStore' | 'objectName' | 'sha256' | 'size' | 'rawInline'>;

function encodeReceived(fields: ReceivedFields, raw: CapturedRawMail): Uint8Array {
  const where = raw.kind === 'inline'
    ? { objectStore: '', objectName: '', sha256: raw.sha256, size: raw.size, rawInline: Buffer.from(raw.bytes.buffer, raw.bytes.byteOffset, raw.bytes.byteLength) }
    : { objectStore: RAW_MAIL_BUCKET, objectName: raw.ref.name, sha256: raw.ref.sha256, size: raw.ref.size, rawInline: Buffer.alloc(0) };
  return eventsV1.MailReceived.encode({ ...fields, ...where }).finish();
}

function refOf(raw: CapturedRawMail): AcceptedRef {
  return raw.kind === 'inline' ? { name: '', sha256: raw.sha256, size: raw.size, inline: true } : { ...raw.ref, inline: false };
}

function streamOf(bytes: Uint8Array): ReadableStream<Uint8Array> {
  return new ReadableStream({ start: (c) => (c.enqueue(bytes), c.close()) });
}

/**
 * `body` as it is read, each chunk fed to `digest` on the way. A pull-through stream rather
 * than pipeThrough(TransformStream): the pipe's machinery (a writer, a reader, a promise per
 * step each side) was a visible share of ingest's CPU per mail (issue 14). Nothing is read
 * ahead (high-water mark 0), so backpressure stays the caller's; an error of `body` errors it,
 * and cancelling it cancels `body`.
 */
function digestTap(body: ReadableStream<Uint8Array>, digest: BodyDigest): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  return new ReadableStream<Uint8Array>({
    pull: async (controller) => {
      const next = await reader.read();
      if (next.done) return controller.close();
      digest.add(next.value);
      controller.enqueue(next.value);
    },
    cancel: (reason) => reader.cancel(reason),
  }, { highWaterMark: 0 });
}
