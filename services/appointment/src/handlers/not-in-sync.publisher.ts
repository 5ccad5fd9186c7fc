import { SUBJECTS } from '@inviteflow/contracts';
import { publish, type NatsHandle } from '@inviteflow/messaging';
import { eventsV1 } from '@inviteflow/proto-gen';
import type { NotInSyncPublisher } from './not-in-sync.marker';

/**
 * appointment.not-in-sync.v1, one per marked copy, so the external calendar marks its side too
 * (domain.md §1.4). The msgID is the copy's: a re-publish after a crash is dropped by JetStream
 * inside the duplicate window, and beyond it a consumer recognises it by that id.
 */
export function notInSyncPublisher(nats: NatsHandle): NotInSyncPublisher {
  return async (m, run) => {
    const payload = eventsV1.AppointmentNotInSync.encode({
      appointmentId: m.id, associateId: m.owner.associateId, uid: m.uid, runId: run.runId, reason: run.reason, markedAt: run.markedAt,
    }).finish();
    await publish(nats.js, SUBJECTS.appointmentNotInSyncV1, payload, { msgId: `not-in-sync:${m.id}` });
  };
}
