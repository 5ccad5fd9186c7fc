import {
  AckPolicy,
  DeliverPolicy,
  JetStreamApiCodes,
  StorageType,
  type ConsumerConfig,
  type ConsumerInfo,
  type JetStreamManager,
  type StreamConfig,
  type StreamInfo,
} from '@nats-io/jetstream';
import { nanos } from '@nats-io/nats-core';
import type { ConsumerSpec, StreamSpec } from '@inviteflow/contracts';
import { nullWhenApiError } from './jetstream-errors.util';
import { validateRetryPolicy, type RetryPolicy } from './retry.policy';

export interface ProvisionOptions {
  /** 1 for a single local server; 3 for the production cluster. */
  readonly replicas?: number;
}

/**
 * Creates each stream, or updates it to the desired config when it exists. Running it
 * twice, or from every replica at boot, is safe: the second run changes nothing.
 */
export async function provisionStreams(
  jsm: JetStreamManager,
  specs: readonly StreamSpec[],
  options: ProvisionOptions = {},
): Promise<StreamInfo[]> {
  const infos: StreamInfo[] = [];
  for (const spec of specs) infos.push(await provisionStream(jsm, spec, options));
  return infos;
}

export type DesiredStreamConfig = Partial<StreamConfig> & Pick<StreamConfig, 'name'>;

export function streamConfig(spec: StreamSpec, options: ProvisionOptions = {}): DesiredStreamConfig {
  // JetStream durations are nanoseconds; our specs are milliseconds.
  return {
    name: spec.name,
    subjects: [...spec.subjects],
    storage: StorageType.File,
    num_replicas: options.replicas ?? 1,
    duplicate_window: nanos(spec.duplicateWindowMs),
    max_age: nanos(spec.maxAgeMs),
  };
}

async function provisionStream(jsm: JetStreamManager, spec: StreamSpec, options: ProvisionOptions): Promise<StreamInfo> {
  const desired = streamConfig(spec, options);
  const existing = await jsm.streams.info(spec.name).catch(nullWhenApiError(JetStreamApiCodes.StreamNotFound));
  if (existing === null) {
    // A replica that lost the race gets the stream back unchanged when the config matches.
    return jsm.streams.add(desired);
  }
  // update() merges onto the stored config, so settings we do not manage survive.
  const { name: _name, storage: _storage, ...updatable } = desired;
  return jsm.streams.update(spec.name, updatable);
}

/** The consumer settings every durable in this system uses (architecture.md, Messaging). */
export function consumerConfig(spec: ConsumerSpec, policy: RetryPolicy): Partial<ConsumerConfig> {
  validateRetryPolicy(policy);
  const backoff = policy.backoffMs.map((ms) => nanos(ms));
  return {
    durable_name: spec.durable,
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.All,
    filter_subject: spec.filterSubject,
    max_deliver: policy.maxDeliver,
    backoff,
    // With a backoff the server replaces ack_wait by backoff[0] anyway; stating it keeps
    // `nats consumer info` honest about the deadline that applies.
    ack_wait: backoff[0],
    max_ack_pending: policy.maxAckPending,
  };
}

/**
 * Creates the durable consumer, or updates max_deliver, backoff, ack_wait, max_ack_pending
 * and the filter when it exists. Settings JetStream cannot change in place (ack or deliver
 * policy) make the update fail loudly rather than leave a consumer we did not ask for.
 */
export async function provisionConsumer(jsm: JetStreamManager, spec: ConsumerSpec, policy: RetryPolicy): Promise<ConsumerInfo> {
  const desired = consumerConfig(spec, policy);
  const existing = await jsm.consumers.info(spec.stream, spec.durable).catch(nullWhenApiError(JetStreamApiCodes.ConsumerNotFound));
  if (existing === null) {
    return jsm.consumers.add(spec.stream, desired);
  }
  const { durable_name: _durable, ack_policy: _ack, deliver_policy: _deliver, ...updatable } = desired;
  return jsm.consumers.update(spec.stream, spec.durable, updatable);
}
