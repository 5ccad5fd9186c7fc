// Self-healing of the gap between a round's checkpoint and its flag / move (mailbox.drain.ts,
// markLeftovers), against the run's GreenMail: the drain's test hook fails where a crash would
// (after the checkpoint, before the marking); the next session marks the messages it left,
// without fetching or announcing anything again.
import type { ImapFlow } from 'imapflow';
import { TOO_LARGE_FLAG } from '../src/imap/mailbox.drain';
import type { MailboxPoller } from '../src/imap/mailbox.poller';
import { DEFAULT_PROCESSED_FLAG, type MailboxDefinition } from '../src/imap/mailbox.types';
import { append, invitation, largeInvitation, withClient } from './imap.test-client';
import { flagsOf, type PollerOptions, pollerHarness, scannedEmpty, until } from './mailbox.test-harness';

const harness = pollerHarness('ingest-mailbox-leftovers-test');
const { newMailbox, startPoller } = harness;

/**
 * Runs a poller until it "crashes" after its first round's checkpoint, before the flag or move:
 * the hook stops it and fails the marking, so the messages stay unmarked and the poller does
 * not start another session (which would mark them itself).
 */
async function runUntilCrash(def: MailboxDefinition, options: PollerOptions = {}): Promise<void> {
  const started: { poller?: MailboxPoller; crashed?: () => void } = {};
  const crashed = new Promise<void>((resolve) => (started.crashed = resolve));
  started.poller = await startPoller(def, {
    ...options,
    beforeMarking: async () => {
      void started.poller?.stop();
      started.crashed?.();
      throw new Error('test: crash between the checkpoint and the flag');
    },
  });
  await crashed;
  await started.poller.stop();
}

const count = async (client: ImapFlow, folder: string): Promise<number | undefined> => {
  const status = await client.status(folder, { messages: true });
  return status ? status.messages : undefined;
};

describe('mailbox leftovers (GreenMail IMAP)', () => {
  test('Given mails past the checkpoint but never flagged (a crash in between), when the poller starts again, then they are flagged and none is announced again', async () => {
    const def = await newMailbox();
    for (let i = 1; i <= 3; i += 1) await append(def, invitation(`<leftover-${i}@example.net>`));
    // Passed over for its size: it carries its own flag, and the healing leaves it so.
    const large = await append(def, largeInvitation('<leftover-large@example.net>', 8 * 1024));
    await runUntilCrash(def, { maxMessageBytes: 4 * 1024 });
    expect(await harness.checkpoints.read(def.id)).toMatchObject({ lastUid: large });
    const before = await flagsOf(def);
    expect(before.filter((flags) => flags.includes(DEFAULT_PROCESSED_FLAG))).toHaveLength(0);
    expect(before[3]).toContain(TOO_LARGE_FLAG);

    const restarted = await startPoller(def, { maxMessageBytes: 4 * 1024 });
    await until('the leftovers flagged', async () => (await flagsOf(def)).slice(0, 3).every((flags) => flags.includes(DEFAULT_PROCESSED_FLAG)));
    await until('the restarted poller scanned', () => scannedEmpty(restarted));

    expect(restarted.status().processed).toBe(0);
    expect(harness.published.map((p) => p.event.messageId)).toEqual([1, 2, 3].map((i) => `<leftover-${i}@example.net>`));
    expect((await flagsOf(def))[3]).toEqual(expect.not.arrayContaining([DEFAULT_PROCESSED_FLAG]));
  });

  test('Given mails past the checkpoint but never moved (a crash in between), when the poller starts again, then they move to the configured folder and none is announced again', async () => {
    const def = await newMailbox({ after: { kind: 'move', folder: 'Processed' } });
    await withClient(def, (client) => client.mailboxCreate('Processed'));
    const last: number[] = [];
    for (let i = 1; i <= 3; i += 1) last.push(await append(def, invitation(`<unmoved-${i}@example.net>`)));
    await runUntilCrash(def);
    expect(await harness.checkpoints.read(def.id)).toMatchObject({ lastUid: last.at(-1) });
    expect(harness.published).toHaveLength(3);
    expect(await withClient(def, async (client) => [await count(client, 'INBOX'), await count(client, 'Processed')])).toEqual([3, 0]);

    // A new mail in the meantime: taken as usual, after the leftovers are moved.
    await append(def, invitation('<unmoved-4@example.net>'));
    const restarted = await startPoller(def);
    await until('the new mail processed', () => restarted.status().processed === 1 && restarted.status().backlog === 0);
    await until('all four moved', async () => (await withClient(def, (client) => count(client, 'Processed'))) === 4);

    expect(await withClient(def, (client) => count(client, 'INBOX'))).toBe(0);
    expect(harness.published.map((p) => p.event.messageId)).toEqual([1, 2, 3, 4].map((i) => `<unmoved-${i}@example.net>`));
  });
});
