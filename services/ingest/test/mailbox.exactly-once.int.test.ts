// Exactly once across replicas and re-scans, against the run's GreenMail: two pollers with
// different lease owners stand for two ingest replicas; a UIDVALIDITY change is made by
// rewriting the stored checkpoint (GreenMail keeps a folder's UIDVALIDITY for its life).
import { MailboxLeaseRepository } from '../src/data/mailbox-lease.repository';
import { append, invitation } from './imap.test-client';
import { pollerHarness, scannedEmpty, until } from './mailbox.test-harness';

const harness = pollerHarness('ingest-mailbox-once-test');
const { newMailbox, startPoller } = harness;

describe('mailbox exactly once (GreenMail IMAP)', () => {
  test('Given two replicas on one mailbox, when mails arrive, then one holds the lease and each mail is published once; when it stops, the other takes over', async () => {
    const def = await newMailbox();
    for (let i = 1; i <= 5; i += 1) await append(def, invitation(`<replica-${i}@example.net>`));

    const first = await startPoller(def, { leaseOwner: 'replica-a', leaseTtlMs: 3000, dedupe: true });
    await until('the holder\'s status stored', async () => (await harness.checkpoints.statusOf(def.id))?.processed === 5);
    const second = await startPoller(def, { leaseOwner: 'replica-b', leaseTtlMs: 3000, dedupe: true });
    await until('five mails published', () => harness.published.length >= 5 && [first, second].some((p) => p.status().backlog === 0 && p.status().processed > 0));
    await until('the other replica on standby', () => [first, second].some((p) => p.status().state === 'standby'));
    const [holder, standby] = first.status().state === 'standby' ? [second, first] : [first, second];
    expect(standby.status()).toMatchObject({ processed: 0, connected: false });
    // The stored status is the holder's: the replica that went on standby after it did not overwrite it.
    expect(await harness.checkpoints.statusOf(def.id)).toMatchObject({ state: 'connected', connected: true, processed: 5 });

    await holder.stop();
    await until('the other replica took over', () => scannedEmpty(standby));
    await append(def, invitation('<replica-6@example.net>'));
    await until('the new mail published by the new holder', () => standby.status().processed === 1);
    await until('the new holder\'s status stored', async () => (await harness.checkpoints.statusOf(def.id))?.processed === 1);
    expect(await harness.checkpoints.statusOf(def.id)).toMatchObject({ state: 'connected', connected: true });

    const ids = harness.published.map((p) => p.event.messageId);
    expect(ids.sort()).toEqual([1, 2, 3, 4, 5, 6].map((i) => `<replica-${i}@example.net>`));
    expect(new Set(harness.published.map((p) => p.msgId)).size).toBe(6);
  });

  test('Given a holder that stops renewing (a dead replica), when its lease expires, then another replica takes the mailbox', async () => {
    const def = await newMailbox();
    const leases = new MailboxLeaseRepository(harness.mongo.db);
    // The dead holder: a lease taken and never renewed nor released.
    expect(await leases.acquire(def.id, 'dead-replica', 1500, new Date())).toBe(true);
    await append(def, invitation('<orphan-1@example.net>'));

    const survivor = await startPoller(def, { leaseOwner: 'survivor', leaseTtlMs: 1500 });
    await until('the survivor waits on standby', () => survivor.status().state === 'standby');
    await until('the survivor took the expired lease and the mail', () => survivor.status().processed === 1);

    expect(await leases.holder(def.id)).toMatchObject({ owner: 'survivor' });
    expect(harness.published.map((p) => p.event.messageId)).toEqual(['<orphan-1@example.net>']);
  });

  test.each([
    { how: 'by reference', inlineMaxBytes: 0 },
    { how: 'inline (RAW_INLINE_MAX_BYTES)', inlineMaxBytes: 256 * 1024 },
  ])('Given processed mails stored $how, when the folder\'s UIDVALIDITY changes, then the re-scan finds them again but announces nothing twice', async ({ inlineMaxBytes }) => {
    const def = await newMailbox();
    // Message-IDs of each case's own: the processed-mail records outlive a test.
    const ids = [1, 2].map((i) => `<rescan-${i}-${inlineMaxBytes}@example.net>`);
    for (const id of ids) await append(def, invitation(id));
    const first = await startPoller(def, { dedupe: true, inlineMaxBytes });
    await until('both processed', () => first.status().processed === 2 && first.status().backlog === 0);
    await first.stop();
    const checkpoint = await harness.checkpoints.read(def.id);
    await harness.checkpoints.reset(def.id, 'an-older-uidvalidity', new Date());

    const second = await startPoller(def, { dedupe: true, inlineMaxBytes });
    await until('the re-scan went through both', async () => scannedEmpty(second) && (await harness.checkpoints.read(def.id))?.lastUid === checkpoint?.lastUid);

    expect(await harness.checkpoints.read(def.id)).toEqual(checkpoint);
    expect(harness.published.map((p) => p.event.messageId)).toEqual(ids);
    expect(harness.published.map((p) => p.event.objectName === '')).toEqual([inlineMaxBytes > 0, inlineMaxBytes > 0]);
  });
});
