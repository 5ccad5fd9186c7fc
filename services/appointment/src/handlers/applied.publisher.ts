import { SUBJECTS } from '@inviteflow/contracts';
import { publish } from '@inviteflow/messaging';
import type { NatsHandle } from '@inviteflow/messaging';
import type { MongoClient } from 'mongodb';
import { createRoundTripCounter } from '@inviteflow/mongo';
import { eventsV1 } from '@inviteflow/proto-gen';
import type { Metrics } from '@inviteflow/runtime';
import type { ApplyResult } from '../data/appointment.repository';
import { appointmentId, AppointmentState } from '../domain/appointment';

/**
 * Counts every diary write by result, and announces a new diary entry on
 * appointment.scheduled.v1 (msgID from the entry's key, so a retried apply announces once).
 */
export function appliedPublisher(nats: NatsHandle, metrics: Metrics) {
  const applied = metrics.counter({ name: 'inviteflow_appointments_applied_total', help: 'Diary writes by result', labelNames: ['result'] });
  return async (result: ApplyResult, s: AppointmentState): Promise<void> => {
    applied.inc({ result });
    if (result !== 'created') return;
    const id = appointmentId(s);
    const event = eventsV1.AppointmentScheduled.encode({
      appointmentId: id, associateId: s.associateId, uid: s.uid, recurrenceId: s.recurrenceId, sequence: s.sequence, mailId: s.sourceMailId,
    }).finish();
    await publish(nats.js, SUBJECTS.appointmentScheduledV1, event, { msgId: `scheduled:${id}` });
  };
}

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
