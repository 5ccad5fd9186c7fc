import type { FetchMessageObject, ImapFlow } from 'imapflow';
import { Readable } from 'node:stream';
import type { MailboxCheckpointRepository } from '../data/mailbox-checkpoint.repository';
import { readMessageId } from '../domain/message-id';
import { uidSet } from '../domain/uid-set';
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
  /** First mark processed messages a crash left unflagged / unmoved (markLeftovers): at each session's start. */
  markLeftovers?: boolean;
  /** Test hook: runs after a round's messages are past the checkpoint, before they are flagged or moved (a throw skips the marking, as a crash there would). */
  beforeMarking?: (uids: number[]) => Promise<void>;
}

/** IMAP keyword on a message passed over for its size (RFC 3501 §2.3.2), so the owner can find it. */
export const TOO_LARGE_FLAG = '$InviteflowTooLarge';

/**
 * Messages per round: their metadata comes in one UID FETCH, and the taken ones are flagged or
 * moved with one UID STORE / UID MOVE after the round, instead of a command each. Each command
 * is a round trip, and a server may pay for each by walking the folder: GreenMail (the local
 * cluster's and the tests' server, 2.1.13) walks every message of the folder and looks each
 * one's sequence number up by copying the folder's UID list, for any UID FETCH or UID STORE,
 * however few messages it names (FetchCommand/ImapSessionFolder.getMsn) — quadratic in the
 * folder's size: measured ~0.1 s of its CPU per command at 1 000 messages, ~10 s at 10 000.
 * A round of a thousand keeps a drain of 10 000 to a few dozen commands.
 */
const ROUND = 1000;

/**
 * Bodies up to this size come with one UID FETCH per group of them, instead of a FETCH (or
 * several 64 KiB chunks) each (an invitation is a few KiB). Larger bodies stream one by one. A
 * group's small bodies together stay under SMALL_GROUP_BYTES, and a group is processed before
 * the next is fetched, so a round holds at most that much in memory.
 */
const SMALL_BODY_BYTES = 256 * 1024;
const SMALL_GROUP_BYTES = 4 * 1024 * 1024;

/** Processed messages at or below the checkpoint marked per drain when a crash left them unmarked (see markLeftovers). */
const LEFTOVERS_PER_DRAIN = 1000;

type Head = FetchMessageObject;

export interface DrainResult {
  /** More unmarked processed messages than one drain marks (LEFTOVERS_PER_DRAIN) were found: look again next drain. */
  leftoversRemain: boolean;
}

/**
 * Processes every message above the checkpoint, in UID order (UIDs only grow within one
 * UIDVALIDITY, RFC 3501 §2.3.1.1). The folder is locked only while draining: imapflow does not
 * IDLE under a held lock, and between drains we want it to. With `deps.markLeftovers`, first
 * flags or moves processed messages a crash left unmarked (markLeftovers).
 */
export async function drainMailbox(client: ImapFlow, deps: DrainDeps): Promise<DrainResult> {
  const lock = await client.getMailboxLock(deps.def.folder);
  try {
    const uidValidity = String(client.mailbox ? client.mailbox.uidValidity : '');
    const lastUid = await checkpointFor(uidValidity, deps);
    const leftoversRemain = deps.markLeftovers ? await markLeftovers(client, lastUid, deps) : false;
    // `n:*` always includes the highest UID, even below n (RFC 3501 §6.4.8), hence the filter.
    const found = (await client.search({ uid: `${lastUid + 1}:*` }, { uid: true })) || [];
    const todo = found.filter((uid) => uid > lastUid).sort((a, b) => a - b);
    deps.progress(todo.length, 'scanned');
    let done = 0;
    for (let start = 0; start < todo.length && !deps.stopped(); start += ROUND) {
      const round = todo.slice(start, start + ROUND);
      const heads = await fetchHeads(client, round);
      const taken: number[] = [];
      try {
        for (const group of smallBodyGroups(round, heads, Math.min(SMALL_BODY_BYTES, deps.maxMessageBytes))) {
          if (deps.stopped()) break;
          const bodies = await fetchBodies(client, group.small);
          for (const uid of group.uids) {
            if (deps.stopped()) break;
            if (await processMessage(client, uidValidity, uid, heads.get(uid), bodies.get(uid), deps)) taken.push(uid);
            done += 1;
            deps.progress(todo.length - done, taken.at(-1) === uid ? 'taken' : 'passed');
          }
        }
      } finally {
        // Past the checkpoint already: marking them is for the owner's eyes. A crash before it
        // leaves them unmarked, never processed twice; the next session marks them (markLeftovers).
        if (taken.length > 0 && client.usable) {
          await deps.beforeMarking?.(taken);
          await afterProcessing(client, taken, deps.def);
        }
      }
    }
    return { leftoversRemain };
  } finally {
    lock.release();
  }
}

/** One UID FETCH for a round's Message-ID headers, sizes and arrival times; an expunged UID is absent. */
async function fetchHeads(client: ImapFlow, uids: number[]): Promise<Map<number, Head>> {
  const heads = new Map<number, Head>();
  // Collected in full before the next command: imapflow runs one command at a time.
  for await (const msg of client.fetch(uidSet(uids), { uid: true, headers: ['message-id'], internalDate: true, size: true }, { uid: true })) {
    heads.set(msg.uid, msg);
  }
  return heads;
}

/**
 * The round cut into consecutive groups, in UID order, each with its small bodies (≤ `limit`)
 * under SMALL_GROUP_BYTES together; larger or unknown ones are in `uids` only (streamed or passed
 * one by one when processed).
 */
function smallBodyGroups(round: number[], heads: Map<number, Head>, limit: number): { uids: number[]; small: number[] }[] {
  const groups: { uids: number[]; small: number[] }[] = [];
  let bytes = Infinity;
  for (const uid of round) {
    const size = heads.get(uid)?.size;
    const small = size !== undefined && size <= limit;
    if (groups.length === 0 || (small && bytes + size > SMALL_GROUP_BYTES)) {
      groups.push({ uids: [], small: [] });
      bytes = 0;
    }
    const group = groups.at(-1)!;
    group.uids.push(uid);
    if (small) {
      group.small.push(uid);
      bytes += size;
    }
  }
  return groups;
}

/** The given (small) bodies in one UID FETCH; an expunged UID is absent. */
async function fetchBodies(client: ImapFlow, uids: number[]): Promise<Map<number, Buffer>> {
  const bodies = new Map<number, Buffer>();
  if (uids.length === 0) return bodies;
  for await (const msg of client.fetch(uidSet(uids), { uid: true, source: true }, { uid: true })) {
    if (msg.source) bodies.set(msg.uid, msg.source);
  }
  return bodies;
}

/**
 * Self-healing of the gap between the checkpoint and a round's flag or move (drainMailbox): every
 * message at or below the checkpoint was processed (taken, gone or passed over), so one still
 * lacking the processed flag (or, when processed mail is moved, still in the folder) was left by
 * a crash or a dropped connection in that gap. One UID SEARCH finds them, one UID STORE / UID
 * MOVE marks up to LEFTOVERS_PER_DRAIN; nothing is fetched or announced again. Messages passed
 * over for their size carry TOO_LARGE_FLAG instead and are left as they are when flagging.
 * Returns whether more remain than were marked.
 */
async function markLeftovers(client: ImapFlow, lastUid: number, deps: DrainDeps): Promise<boolean> {
  if (lastUid < 1) return false;
  const { after } = deps.def;
  const query = after.kind === 'move'
    ? { uid: `1:${lastUid}` }
    : { uid: `1:${lastUid}`, unKeyword: after.flag, not: { keyword: TOO_LARGE_FLAG } };
  // `1:n` may include the highest UID above n when nothing is at or below it (RFC 3501 §6.4.8).
  const found = ((await client.search(query, { uid: true })) || []).filter((uid) => uid <= lastUid).sort((a, b) => a - b);
  if (found.length === 0) return false;
  const marking = found.slice(0, LEFTOVERS_PER_DRAIN);
  deps.log.warn({ mailbox: deps.def.id, count: marking.length, more: found.length - marking.length }, 'processed messages left unmarked (a crash before their flag or move): marking them now');
  await afterProcessing(client, marking, deps.def);
  return found.length > marking.length;
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
  const set = uidSet(uids);
  if (def.after.kind === 'move') await client.messageMove(set, def.after.folder, { uid: true });
  else await client.messageFlagsAdd(set, [def.after.flag], { uid: true });
}
