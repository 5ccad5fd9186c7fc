import type { FetchMessageObject, ImapFlow } from 'imapflow';
import { Readable } from 'node:stream';
import type { MailboxCheckpointRepository } from '../data/mailbox-checkpoint.repository';
import { readMessageId } from '../domain/message-id';
import type { AcceptedMail } from '../smtp/smtp.listener';
import { acceptedImapMail } from './imap-mail';
import { IMAP_ERROR_CODES, imapError } from './imap.errors';
import type { MailboxDefinition } from './mailbox.types';

export interface DrainDeps {
  def: MailboxDefinition;
  checkpoints: Pick<MailboxCheckpointRepository, 'read' | 'reset' | 'advance'>;
  /** Stores the raw bytes and publishes mail.received.v1; resolves once the publish is acknowledged. */
  accept: (mail: AcceptedMail) => Promise<unknown>;
  log: { info(o: object, m?: string): void; warn(o: object, m?: string): void };
  now: () => Date;
  stopped: () => boolean;
  /** Called with the number of messages still to do: once after the scan, then after each message ('passed': too large or gone). */
  progress: (backlog: number, event: 'scanned' | 'taken' | 'passed') => void;
  /** Ingest's MAX_MESSAGE_BYTES: a larger message is not downloaded (see refuseTooLarge). */
  maxMessageBytes: number;
  /** A message was passed over for being too large (recorded in the mailbox status). */
  tooLarge: (uid: number, size: number) => void;
}

/** IMAP keyword on a message passed over for its size (RFC 3501 §2.3.2), so the owner can find it. */
export const TOO_LARGE_FLAG = '$InviteflowTooLarge';

/**
 * Messages per round: their metadata comes in one UID FETCH, and the taken ones are flagged or
 * moved with one UID STORE / UID MOVE after the round, instead of a command each (each command
 * is a round trip; on a loaded server those dominate). Small bodies come in one FETCH too
 * (SMALL_BODY_BYTES); larger ones stream one by one.
 */
const BATCH = 100;

/**
 * Bodies up to this size come with one UID FETCH per round (an invitation is a few KiB), instead
 * of a FETCH (or several 64 KiB chunks) each: each command is a round trip, and a server may look
 * a UID up by scanning the folder, so per-message commands cost more as the folder grows. Larger
 * bodies still stream one by one; one round's small bodies together stay under SMALL_ROUND_BYTES.
 */
const SMALL_BODY_BYTES = 256 * 1024;
const SMALL_ROUND_BYTES = 4 * 1024 * 1024;

type Head = FetchMessageObject;

/**
 * Processes every message above the checkpoint, in UID order (UIDs only grow within one
 * UIDVALIDITY, RFC 3501 §2.3.1.1). The folder is locked only while draining: imapflow does not
 * IDLE under a held lock, and between drains we want it to.
 */
export async function drainMailbox(client: ImapFlow, deps: DrainDeps): Promise<void> {
  const lock = await client.getMailboxLock(deps.def.folder);
  try {
    const uidValidity = String(client.mailbox ? client.mailbox.uidValidity : '');
    const lastUid = await checkpointFor(uidValidity, deps);
    // `n:*` always includes the highest UID, even below n (RFC 3501 §6.4.8), hence the filter.
    const found = (await client.search({ uid: `${lastUid + 1}:*` }, { uid: true })) || [];
    const todo = found.filter((uid) => uid > lastUid).sort((a, b) => a - b);
    deps.progress(todo.length, 'scanned');
    for (let start = 0; start < todo.length && !deps.stopped(); start += BATCH) {
      const batch = todo.slice(start, start + BATCH);
      const heads = await fetchHeads(client, batch);
      const taken: number[] = [];
      try {
        const bodies = await fetchSmallBodies(client, batch, heads, deps.maxMessageBytes);
        for (const [index, uid] of batch.entries()) {
          if (deps.stopped()) break;
          if (await processMessage(client, uidValidity, uid, heads.get(uid), bodies.get(uid), deps)) taken.push(uid);
          deps.progress(todo.length - start - index - 1, taken.at(-1) === uid ? 'taken' : 'passed');
        }
      } finally {
        // Past the checkpoint already: marking them is for the owner's eyes (a crash before it
        // leaves them unmarked, never processed twice).
        if (taken.length > 0 && client.usable) await afterProcessing(client, taken, deps.def);
      }
    }
  } finally {
    lock.release();
  }
}

/** One UID FETCH for a round's Message-ID headers, sizes and arrival times; an expunged UID is absent. */
async function fetchHeads(client: ImapFlow, uids: number[]): Promise<Map<number, Head>> {
  const heads = new Map<number, Head>();
  // Collected in full before the next command: imapflow runs one command at a time.
  for await (const msg of client.fetch(uids.join(','), { uid: true, headers: ['message-id'], internalDate: true, size: true }, { uid: true })) {
    heads.set(msg.uid, msg);
  }
  return heads;
}

/** The round's small bodies, in UID FETCHes of at most SMALL_ROUND_BYTES; an expunged UID is absent. */
async function fetchSmallBodies(client: ImapFlow, uids: number[], heads: Map<number, Head>, maxMessageBytes: number): Promise<Map<number, Buffer>> {
  const limit = Math.min(SMALL_BODY_BYTES, maxMessageBytes);
  const groups: number[][] = [];
  let bytes = Infinity;
  for (const uid of uids) {
    const size = heads.get(uid)?.size;
    if (size === undefined || size > limit) continue;
    if (bytes + size > SMALL_ROUND_BYTES) {
      groups.push([]);
      bytes = 0;
    }
    groups.at(-1)!.push(uid);
    bytes += size;
  }
  const bodies = new Map<number, Buffer>();
  for (const group of groups) {
    for await (const msg of client.fetch(group.join(','), { uid: true, source: true }, { uid: true })) {
      if (msg.source) bodies.set(msg.uid, msg.source);
    }
  }
  return bodies;
}

async function checkpointFor(uidValidity: string, deps: DrainDeps): Promise<number> {
  const checkpoint = await deps.checkpoints.read(deps.def.id);
  if (checkpoint && checkpoint.uidValidity === uidValidity) return checkpoint.lastUid;
  if (checkpoint) {
    deps.log.warn({ mailbox: deps.def.id, was: checkpoint.uidValidity, now: uidValidity }, 'UIDVALIDITY changed: scanning the folder again');
  }
  await deps.checkpoints.reset(deps.def.id, uidValidity, deps.now());
  return 0;
}

/**
 * Store + publish first, then the checkpoint (one update); flag or move follow per round. A
 * crash before the checkpoint fetches the message again; its mail id is derived from (mailbox, UIDVALIDITY, UID),
 * so the object is rewritten in place and the repeated publish is dropped as a duplicate
 * (JetStream's window, and beyond it the processed-mail record).
 */
async function processMessage(
  client: ImapFlow, uidValidity: string, uid: number, head: Head | undefined, body: Buffer | undefined, deps: DrainDeps,
): Promise<boolean> {
  const { def } = deps;
  if (head && (head.size ?? 0) > deps.maxMessageBytes) {
    await refuseTooLarge(client, uidValidity, uid, head.size!, deps);
    return false;
  }
  const download = body ? { content: Readable.from([body]) } : head ? await client.download(String(uid), undefined, { uid: true }) : undefined;
  if (head && download?.content) {
    const internalDate = head.internalDate instanceof Date ? head.internalDate : undefined;
    const mail = acceptedImapMail({
      mailboxId: def.id, uidValidity, uid, internalDate, content: download.content,
      messageId: head.headers ? readMessageId(head.headers) : '',
      recipient: def.auth.user.includes('@') ? def.auth.user : '',
    }, deps.now());
    // A dropped connection surfaces as the body erroring, sometimes before imapflow has seen the close.
    let bodyFailed = false;
    download.content.once('error', () => (bodyFailed = true));
    await deps.accept(mail).catch((err: unknown) => {
      download.content?.destroy();
      if (bodyFailed || !client.usable) throw imapError(IMAP_ERROR_CODES.connectionFailed, `the connection dropped while fetching UID ${uid}`, err);
      throw imapError(IMAP_ERROR_CODES.messageFailed, `message UID ${uid} could not be stored or announced`, err);
    });
    deps.log.info({ mailbox: def.id, uid, mailId: mail.mailId }, 'mail taken from mailbox');
  } else {
    // Expunged between the search and the fetch: nothing to take, move past it.
    deps.log.info({ mailbox: def.id, uid }, 'message gone before it was fetched');
  }
  await deps.checkpoints.advance(def.id, uidValidity, uid, deps.now());
  return Boolean(head && download?.content);
}

/**
 * The same bound as SMTP's SIZE (RFC 1870): RFC822.SIZE is read first and a larger message is
 * never downloaded. It is marked (TOO_LARGE_FLAG, and moved when the mailbox moves what it
 * processed) and the checkpoint passes it, so it is recorded once and never retried in a loop.
 */
async function refuseTooLarge(client: ImapFlow, uidValidity: string, uid: number, size: number, deps: DrainDeps): Promise<void> {
  deps.log.warn({ mailbox: deps.def.id, uid, size, limit: deps.maxMessageBytes }, 'message larger than MAX_MESSAGE_BYTES: passed over');
  deps.tooLarge(uid, size);
  await deps.checkpoints.advance(deps.def.id, uidValidity, uid, deps.now());
  await client.messageFlagsAdd(String(uid), [TOO_LARGE_FLAG], { uid: true });
  if (deps.def.after.kind === 'move') await client.messageMove(String(uid), deps.def.after.folder, { uid: true });
}

async function afterProcessing(client: ImapFlow, uids: number[], def: MailboxDefinition): Promise<void> {
  const set = uids.join(',');
  if (def.after.kind === 'move') await client.messageMove(set, def.after.folder, { uid: true });
  else await client.messageFlagsAdd(set, [def.after.flag], { uid: true });
}
