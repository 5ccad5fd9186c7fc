// What Prometheus needs for the backlog alerts (k8s/alerts, issue 14 §4), read from JetStream
// at scrape time with the calls every service may make under its NATS permissions: its own
// consumers' info and any stream's info (libs/messaging nats.permissions.ts). A consumer whose
// service is down exports nothing here: the rules catch that from NATS's own exporter.
import type { ConsumerInfo, JetStreamManager } from '@nats-io/jetstream';
import type { Metrics } from '@inviteflow/runtime';
import { STREAMS, type ConsumerSpec } from '@inviteflow/contracts';

/** Consumers a process runs, by its JetStream manager: startDurableConsumer adds each. */
const owned = new WeakMap<JetStreamManager, Map<string, ConsumerSpec>>();

export function noteOwnedConsumer(jsm: JetStreamManager, spec: ConsumerSpec): void {
  const specs = owned.get(jsm) ?? new Map<string, ConsumerSpec>();
  specs.set(`${spec.stream}/${spec.durable}`, spec);
  owned.set(jsm, specs);
}

/** One scrape's reading of one consumer. */
export interface ConsumerReading {
  readonly pending: number;
  /** Seconds since the consumer last acknowledged anything, while messages wait; 0 otherwise. */
  readonly stalledSeconds: number;
  /** Pull requests waiting on the server: 0 means nobody is pulling right now. */
  readonly waitingPulls: number;
}

/**
 * From consumer info alone (no message reads): pending is undelivered plus unacknowledged;
 * "stalled" is how long the ack floor has not moved while something is pending — the backlog's
 * age as far as this consumer is concerned (`inviteflow status` shows the oldest message's age).
 */
export function readConsumer(ci: ConsumerInfo, nowMs: number): ConsumerReading {
  const pending = ci.num_pending + ci.num_ack_pending;
  const lastAck = instantMs(ci.ack_floor.last_active) ?? instantMs(ci.created);
  const stalledSeconds = pending > 0 && lastAck !== undefined ? Math.max(0, (nowMs - lastAck) / 1000) : 0;
  return { pending, stalledSeconds, waitingPulls: ci.num_waiting ?? 0 };
}

/** The server sends `last_active` as an RFC 3339 time (the client's type says nanoseconds). */
function instantMs(value: unknown): number | undefined {
  if (typeof value === 'string') {
    const ms = Date.parse(value);
    return Number.isNaN(ms) || ms <= 0 ? undefined : ms;
  }
  return typeof value === 'number' && value > 0 ? value / 1e6 : undefined;
}

/**
 * Registers `inviteflow_consumer_pending_messages`, `inviteflow_consumer_ack_stalled_seconds`,
 * `inviteflow_consumer_waiting_pulls` (per stream and consumer this process runs) and
 * `inviteflow_dead_letters` (the DLQ stream's messages). Read at scrape, one request each.
 */
export function registerBacklogMetrics(metrics: Metrics, jsm: JetStreamManager, now: () => number = Date.now): void {
  const labelNames = ['stream', 'consumer'] as const;
  const readings = async (): Promise<Array<{ spec: ConsumerSpec; r: ConsumerReading }>> => {
    const specs = [...(owned.get(jsm)?.values() ?? [])];
    const infos = await Promise.all(specs.map((spec) => jsm.consumers.info(spec.stream, spec.durable).catch(() => null)));
    return specs.flatMap((spec, i) => (infos[i] ? [{ spec, r: readConsumer(infos[i]!, now()) }] : []));
  };
  const perConsumer = (name: string, help: string, pick: (r: ConsumerReading) => number): void => {
    metrics.gauge({
      name, help, labelNames,
      async collect() {
        this.reset();
        for (const { spec, r } of await readings()) this.set({ stream: spec.stream, consumer: spec.durable }, pick(r));
      },
    });
  };
  perConsumer('inviteflow_consumer_pending_messages', 'Messages of this durable consumer not yet acknowledged (undelivered + in flight)', (r) => r.pending);
  perConsumer('inviteflow_consumer_ack_stalled_seconds', 'Seconds since this consumer last acknowledged a message while messages are pending (0 when none are)', (r) => r.stalledSeconds);
  perConsumer('inviteflow_consumer_waiting_pulls', 'Pull requests waiting on the server for this consumer (0: nobody is pulling)', (r) => r.waitingPulls);
  metrics.gauge({
    name: 'inviteflow_dead_letters', help: 'Messages in the dead-letter stream (DLQ)',
    async collect() {
      const info = await jsm.streams.info(STREAMS.deadLetter.name).catch(() => null);
      this.set(info ? info.state.messages : 0);
    },
  });
}
