import type { JetStreamClient } from '@nats-io/jetstream';
import { SUBJECTS } from '@inviteflow/contracts';
import { publish } from '@inviteflow/messaging';
import { eventsV1 } from '@inviteflow/proto-gen';
import type { IdentityChange, PublishIdentityChanged } from '../domain/identity.deps';
import { IDENTITY_ERROR_CODES } from '../domain/identity.errors';

export interface PublisherLogger {
  error(obj: object, msg?: string): void;
}

/** Attempts and the pause before each retry: 0.1 s, 0.4 s (0.5 s in all). */
const RETRY_DELAYS_MS = [100, 400];

/**
 * identity.changed.v1 after every committed change. The msgId is the change's business key
 * (entity, change, version), so a retried publish is stored once. The change is already
 * written when this runs, so a publish that still fails after the retries is logged
 * (IDENTITY_EVENT_PUBLISH_FAILED) and not thrown: failing the call would invite a retry that
 * finds nothing to change and publishes nothing either. Consumers have their own safety net
 * for a lost event: cached resolutions expire, and parked invites are re-checked periodically
 * (docs/identity.md, "Events").
 */
export function identityChangedPublisher(js: JetStreamClient, log: PublisherLogger, sleep = defaultSleep): PublishIdentityChanged {
  return async (change: IdentityChange) => {
    const payload = eventsV1.IdentityChanged.encode({ addresses: change.addresses, entityId: change.entityId, change: change.change }).finish();
    const msgId = `${change.entityId}:${change.change}:${change.version}`;
    for (let attempt = 0; ; attempt++) {
      try {
        await publish(js, SUBJECTS.identityChangedV1, payload, { msgId, timeoutMs: 2000 });
        return;
      } catch (err) {
        const delay = RETRY_DELAYS_MS[attempt];
        if (delay === undefined) {
          log.error({ code: IDENTITY_ERROR_CODES.eventPublishFailed, err, msgId, addresses: change.addresses }, 'identity.changed.v1 not published');
          return;
        }
        await sleep(delay);
      }
    }
  };
}

function defaultSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
