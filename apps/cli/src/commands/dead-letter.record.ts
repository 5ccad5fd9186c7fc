import { DEAD_LETTER_HEADERS, DEAD_LETTER_PREFIX } from '@inviteflow/contracts';
import type { MsgHdrs } from '@nats-io/nats-core';
import { mailIdOf } from './event.mail-id';

/** A dead letter as people and scripts see it (`dlq list`, `explain`). */
export interface DeadLetter {
  /** Sequence in the DLQ stream: what `dlq replay` takes. */
  seq: number;
  /** The subject the message failed on, where a replay publishes it again. */
  originalSubject: string;
  code: string;
  reason: string;
  deliveries: number;
  /** The stream and durable consumer that gave up on it. */
  stream: string;
  consumer: string;
  /** When it was dead-lettered (the DLQ stream's clock). */
  at: string;
  /** The delivered mail it belongs to, when its payload decodes; null otherwise. */
  mailId: string | null;
  bytes: number;
}

export interface StoredDeadLetter {
  seq: number;
  subject: string;
  time: Date;
  headers: MsgHdrs | undefined;
  data: Uint8Array;
}

/**
 * The original subject is the dead-letter subject without its `dlq.` prefix: the subject the
 * stream stored is authoritative, the header only repeats it.
 */
export function originalSubjectOf(dlqSubject: string): string {
  const prefix = `${DEAD_LETTER_PREFIX}.`;
  return dlqSubject.startsWith(prefix) ? dlqSubject.slice(prefix.length) : '';
}

export function toDeadLetter(m: StoredDeadLetter): DeadLetter {
  const header = (name: string): string => m.headers?.get(name) ?? '';
  const originalSubject = originalSubjectOf(m.subject);
  return {
    seq: m.seq,
    originalSubject,
    code: header(DEAD_LETTER_HEADERS.code),
    reason: header(DEAD_LETTER_HEADERS.reason),
    deliveries: Number(header(DEAD_LETTER_HEADERS.deliveries)) || 0,
    stream: header(DEAD_LETTER_HEADERS.stream),
    consumer: header(DEAD_LETTER_HEADERS.consumer),
    at: m.time.toISOString(),
    mailId: mailIdOf(originalSubject, m.data) ?? null,
    bytes: m.data.byteLength,
  };
}
