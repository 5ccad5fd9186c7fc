// What faults leave in the raw-mail object store. A write that a kill cuts off (ingest killed
// while a large mail streams in) cannot purge its chunks; they stay until the bucket's retention
// (RAW_MAIL_MAX_AGE_MS, docs/messaging.md) removes them. Counted, not judged: they cost space, not mail.
import { JetStreamApiCodes, type JetStreamManager } from '@nats-io/jetstream';
import { Objm } from '@nats-io/obj';
import type { NatsConnection } from '@nats-io/transport-node';
import { RAW_MAIL_BUCKET } from '@inviteflow/contracts';
import { nullWhenApiError, objectStoreStreamName } from '@inviteflow/messaging';

export interface RawMailLeftovers {
  /** Objects the bucket names (not deleted). */
  readonly objects: number;
  /** Chunk subjects (ADR-20: `$O.<bucket>.C.<nuid>`, one per write) that no object names. */
  readonly unnamedChunkSets: number;
  /** Their chunks (messages). */
  readonly unnamedChunks: number;
}

/** The count; a failure to count is reported as such, so the run's report is still written. */
export function rawMailLeftovers(nc: NatsConnection, jsm: JetStreamManager): Promise<RawMailLeftovers | { error: string }> {
  return countLeftovers(nc, jsm).catch((err: unknown) => ({ error: `could not count: ${err instanceof Error ? err.message : String(err)}` }));
}

async function countLeftovers(nc: NatsConnection, jsm: JetStreamManager): Promise<RawMailLeftovers> {
  const prefix = `$O.${RAW_MAIL_BUCKET}.C.`;
  const info = await jsm.streams.info(objectStoreStreamName(RAW_MAIL_BUCKET), { subjects_filter: `${prefix}>` })
    .catch(nullWhenApiError(JetStreamApiCodes.StreamNotFound));
  // No mail went past RAW_INLINE_MAX_BYTES: nothing was ever written.
  if (info === null) return { objects: 0, unnamedChunkSets: 0, unnamedChunks: 0 };
  const named = new Set((await (await new Objm(nc).open(RAW_MAIL_BUCKET)).list()).map((o) => o.nuid));
  const unnamed = Object.entries(info.state.subjects ?? {}).filter(([subject]) => !named.has(subject.slice(prefix.length)));
  return { objects: named.size, unnamedChunkSets: unnamed.length, unnamedChunks: unnamed.reduce((n, [, count]) => n + count, 0) };
}
