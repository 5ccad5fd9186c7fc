import type { MongoClient } from 'mongodb';
import { createRoundTripCounter } from '@inviteflow/mongo';
import type { Metrics } from '@inviteflow/runtime';

/**
 * Wraps a message handler so the MongoDB round trips it spends are observed per message
 * (architecture.md: the number of round trips per message must be small and known).
 */
export function withRoundTripMetric<T>(client: MongoClient, metrics: Metrics, handle: (delivery: T) => Promise<void>) {
  const roundTrips = createRoundTripCounter(client);
  const perMessage = metrics.histogram({
    name: 'inviteflow_appointment_db_round_trips_per_message', help: 'MongoDB round trips spent on one invite.parsed message',
    buckets: [1, 2, 3, 4, 6, 8, 12, 16, 32],
  });
  return (delivery: T): Promise<void> =>
    roundTrips.measure(() => handle(delivery)).then((m) => void perMessage.observe(m.roundTrips.total));
}
