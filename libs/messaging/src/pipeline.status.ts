import type { ConsumerInfo, JetStreamManager, MsgRequest, StreamInfo } from '@nats-io/jetstream';
import { JetStreamApiCodes } from '@nats-io/jetstream';
import { STREAMS } from '@inviteflow/contracts';
import { nullWhenApiError } from './jetstream-errors.util';
import { isObjectStoreStream } from './raw-mail.reader';

export interface StreamStatus {
  readonly name: string;
  readonly messages: number;
  readonly bytes: number;
  readonly firstSeq: number;
  readonly lastSeq: number;
  /**
   * Consumers on the stream, durable and ephemeral alike (the server's `consumer_count`). On
   * an object-store stream (`OBJ_*`) this should be 0 at rest: a count that grows with the mail
   * received is a leak, and nats-server refuses new consumers at 1 000 per stream by default.
   */
  readonly consumerCount: number;
}

export interface ConsumerStatus {
  readonly stream: string;
  readonly name: string;
  /** Matching messages never delivered: the lag a parser autoscaler watches. */
  readonly numPending: number;
  /** Delivered and not yet acked, including those waiting out a nak delay. */
  readonly numAckPending: number;
  readonly numRedelivered: number;
  /** Age of the oldest message not yet acked (in flight, backing off or undelivered); null if none. */
  readonly oldestPendingAgeMs: number | null;
  /** Age of the oldest message not yet delivered at all; null if none. */
  readonly oldestUndeliveredAgeMs: number | null;
}

export interface PipelineStatus {
  readonly streams: readonly StreamStatus[];
  readonly consumers: readonly ConsumerStatus[];
  /** Messages in the dead-letter stream; null when that stream does not exist. */
  readonly deadLetters: number | null;
}

export interface PipelineStatusOptions {
  /** Streams to report; all streams on the account when omitted. */
  readonly streams?: readonly string[];
  readonly deadLetterStream?: string;
  /** The clock, passed in so ages are testable. */
  readonly now?: () => number;
}

/** For the CLI's `status` command: lag, oldest pending age and DLQ size per the architecture. */
export async function pipelineStatus(jsm: JetStreamManager, options: PipelineStatusOptions = {}): Promise<PipelineStatus> {
  const now = options.now ?? Date.now;
  const infos = await streamInfos(jsm, options.streams);
  const streams = infos.map(toStreamStatus).sort((a, b) => a.name.localeCompare(b.name));
  const consumers: ConsumerStatus[] = [];
  // Object-store streams hold only short-lived readers, not pipeline stages: their count in
  // StreamStatus is what matters, and listing each of (say) 1 000 leaked ones would cost a
  // request apiece.
  const stages = infos.filter((info) => !isObjectStoreStream(info.config.name));
  for (const info of stages) consumers.push(...(await consumerStatuses(jsm, info.config.name, now)));
  consumers.sort((a, b) => `${a.stream}/${a.name}`.localeCompare(`${b.stream}/${b.name}`));
  const dlq = await jsm.streams
    .info(options.deadLetterStream ?? STREAMS.deadLetter.name)
    .catch(nullWhenApiError(JetStreamApiCodes.StreamNotFound));
  return { streams, consumers, deadLetters: dlq === null ? null : dlq.state.messages };
}

async function streamInfos(jsm: JetStreamManager, names: readonly string[] | undefined): Promise<StreamInfo[]> {
  if (names === undefined) {
    const all: StreamInfo[] = [];
    for await (const info of jsm.streams.list()) all.push(info);
    return all;
  }
  const found = await Promise.all(names.map((name) => jsm.streams.info(name).catch(nullWhenApiError(JetStreamApiCodes.StreamNotFound))));
  return found.filter((info): info is StreamInfo => info !== null);
}

async function consumerStatuses(jsm: JetStreamManager, stream: string, now: () => number): Promise<ConsumerStatus[]> {
  const statuses: ConsumerStatus[] = [];
  try {
    for await (const consumer of jsm.consumers.list(stream)) statuses.push(await toConsumerStatus(jsm, consumer, now));
  } catch (err) {
    // Deleted between listing streams and listing its consumers: report what we have.
    nullWhenApiError(JetStreamApiCodes.StreamNotFound)(err);
  }
  return statuses;
}

function toStreamStatus(info: StreamInfo): StreamStatus {
  return {
    name: info.config.name,
    messages: info.state.messages,
    bytes: info.state.bytes,
    firstSeq: info.state.first_seq,
    lastSeq: info.state.last_seq,
    consumerCount: info.state.consumer_count,
  };
}

async function toConsumerStatus(jsm: JetStreamManager, ci: ConsumerInfo, now: () => number): Promise<ConsumerStatus> {
  const hasUnacked = ci.num_pending + ci.num_ack_pending > 0;
  const oldestUnacked = hasUnacked ? await firstMatchingAfter(jsm, ci, ci.ack_floor.stream_seq) : null;
  const oldestUndelivered = ci.num_pending > 0 ? await firstMatchingAfter(jsm, ci, ci.delivered.stream_seq) : null;
  const age = (time: Date | null): number | null => (time === null ? null : Math.max(0, now() - time.getTime()));
  return {
    stream: ci.stream_name,
    name: ci.name,
    numPending: ci.num_pending,
    numAckPending: ci.num_ack_pending,
    numRedelivered: ci.num_redelivered,
    oldestPendingAgeMs: age(oldestUnacked),
    oldestUndeliveredAgeMs: age(oldestUndelivered),
  };
}

/**
 * Timestamp of the first message after `seq` that the consumer's filter matches. Everything
 * up to the ack floor is acked, so the first match after it is the oldest unacked message.
 * One request: the server's MSG.GET accepts `next_by_subj` (the client's type omits it).
 */
async function firstMatchingAfter(jsm: JetStreamManager, ci: ConsumerInfo, seq: number): Promise<Date | null> {
  const filters = ci.config.filter_subjects ?? [];
  // With several filters one request cannot express "any of"; '>' gives an upper bound on age.
  const subject = ci.config.filter_subject || (filters.length === 1 ? filters[0]! : '>');
  const request = { seq: seq + 1, next_by_subj: subject } as unknown as MsgRequest;
  const stored = await jsm.streams.getMessage(ci.stream_name, request);
  return stored === null ? null : stored.time;
}
