import { DEAD_LETTER_HEADERS, STREAMS } from '@inviteflow/contracts';
import { publish } from '@inviteflow/messaging';
import type { JetStreamClient, JetStreamManager, StoredMsg } from '@nats-io/jetstream';
import { headers as createHeaders, type MsgHdrs } from '@nats-io/nats-core';
import { originalSubjectOf } from './dead-letter.record';
import { mailIdOf } from './event.mail-id';

/** Set on a replayed message, so a dead letter that fails again shows where it came from. */
export const REPLAYED_FROM_HEADER = 'Inviteflow-Replayed-From';

export type ReplayResult =
  | { seq: number; result: 'replayed'; originalSubject: string; mailId: string | null; msgId: string; stream: string; streamSeq: number }
  /** Published, but the dead letter could not be removed: running the replay again repeats it. */
  | { seq: number; result: 'replayed-not-removed'; originalSubject: string; mailId: string | null; msgId: string; error: string }
  | { seq: number; result: 'failed'; originalSubject: string; mailId: string | null; error: string };

/**
 * Republishes one dead letter's payload to its original subject and removes it from the DLQ
 * stream once the publish is acknowledged. The msgId is new (`replay:<dlq seq>:<ms>`): the
 * original business key inside the target stream's 2-minute duplicate window would make the
 * replay a silent duplicate (docs/messaging.md). A crash between publish and removal leaves
 * the dead letter in place, and replaying it again delivers the message twice, which every
 * handler tolerates (they are idempotent).
 */
export async function replayDeadLetter(js: JetStreamClient, jsm: JetStreamManager, seq: number, now: () => number = Date.now): Promise<ReplayResult> {
  let stored: StoredMsg | null;
  try {
    stored = await jsm.streams.getMessage(STREAMS.deadLetter.name, { seq });
  } catch (err) {
    return { seq, result: 'failed', originalSubject: '', mailId: null, error: `cannot read it: ${(err as Error).message}` };
  }
  if (!stored) return { seq, result: 'failed', originalSubject: '', mailId: null, error: `no dead letter with sequence ${seq} in stream ${STREAMS.deadLetter.name}` };
  const originalSubject = originalSubjectOf(stored.subject);
  const mailId = mailIdOf(originalSubject, stored.data) ?? null;
  if (!originalSubject) return { seq, result: 'failed', originalSubject, mailId, error: `subject ${stored.subject} is not a dead-letter subject` };

  const msgId = `replay:${seq}:${now()}`;
  let ack;
  try {
    ack = await publish(js, originalSubject, stored.data, { msgId, headers: replayHeaders(stored.header, seq) });
  } catch (err) {
    return { seq, result: 'failed', originalSubject, mailId, error: (err as Error).message };
  }
  try {
    await jsm.streams.deleteMessage(STREAMS.deadLetter.name, seq, false);
  } catch (err) {
    return { seq, result: 'replayed-not-removed', originalSubject, mailId, msgId, error: (err as Error).message };
  }
  return { seq, result: 'replayed', originalSubject, mailId, msgId, stream: ack.stream, streamSeq: ack.seq };
}

/**
 * The original headers, without the dead-letter reason headers (they describe the old failure;
 * a new one sets them afresh) and without server-interpreted `Nats-*` ones.
 */
function replayHeaders(source: MsgHdrs | undefined, seq: number): MsgHdrs {
  const dropped = new Set<string>(Object.values(DEAD_LETTER_HEADERS).map((h) => h.toLowerCase()));
  const target = createHeaders();
  for (const key of source?.keys() ?? []) {
    if (dropped.has(key.toLowerCase()) || key.toLowerCase().startsWith('nats-')) continue;
    for (const value of source!.values(key)) target.append(key, value);
  }
  target.set(REPLAYED_FROM_HEADER, `${STREAMS.deadLetter.name}:${seq}`);
  return target;
}
