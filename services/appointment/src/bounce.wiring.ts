// The bounce follower (issue 11 §5): mail.bounced.v1 on its own durable consumer, so a bounce
// never waits behind invites and an invite never waits behind a bounce.
import { CONSUMERS } from '@inviteflow/contracts';
import { DEFAULT_RETRY_POLICY, NatsHandle, startDurableConsumer } from '@inviteflow/messaging';
import type { Logger, ShutdownStep } from '@inviteflow/runtime';
import type { MeetingRepository } from './data/meeting.repository';
import type { OutcomeRepository } from './data/outcome.repository';
import { onMailBounced } from './handlers/mail-bounced.handler';
import type { CopyPublisher } from './handlers/meeting-events.publisher';

export async function startBounceFollower(opts: {
  nats: NatsHandle; meetings: MeetingRepository; outcomes: OutcomeRepository; publishCopy: CopyPublisher; log: Logger; now: () => Date; shutdownTimeoutMs: number;
}): Promise<{ steps: ShutdownStep[]; isRunning: () => boolean }> {
  const consumer = await startDurableConsumer(opts.nats, {
    consumer: CONSUMERS.appointmentBounces, policy: DEFAULT_RETRY_POLICY, concurrency: 1, log: opts.log, handle: onMailBounced(opts),
  });
  return { steps: [{ name: 'bounce-consumer-stop', run: () => consumer.stop(opts.shutdownTimeoutMs / 2) }], isRunning: () => consumer.isRunning() };
}
