// The mailbox poller against the run's GreenMail (real IMAP), the test MongoDB stand-in and a
// real JetStream object store (mailbox.test-harness.ts): the happy paths and the login/folder faults.
import type { ImapFlow } from 'imapflow';
import { DEFAULT_PROCESSED_FLAG } from '../src/imap/mailbox.types';
import { append, invitation, withClient } from './imap.test-client';
import { errorsSeen, flagsOf, pollerHarness, scannedEmpty, until } from './mailbox.test-harness';

const harness = pollerHarness('ingest-mailbox-int-test');
const { newMailbox, startPoller } = harness;

describe('mailbox poller (GreenMail IMAP)', () => {
  test('Given a mail in the mailbox, when the poller runs, then it is published once, the checkpoint advances and the message is flagged', async () => {
    const def = await newMailbox();
    const uid = await append(def, invitation('<lunch-1@example.net>'));

    const poller = await startPoller(def);
    await until('one mail processed', () => poller.status().processed === 1 && poller.status().backlog === 0);

    expect(harness.published).toHaveLength(1);
    expect(harness.published[0]!.event).toMatchObject({ source: `imap:${def.id}`, messageId: '<lunch-1@example.net>', envelopeTo: [def.auth.user] });
    expect(harness.published[0]!.msgId).toBe(`mail:${harness.published[0]!.event.mailId}`);
    expect(await harness.checkpoints.read(def.id)).toMatchObject({ lastUid: uid });
    expect((await flagsOf(def))[0]).toContain(DEFAULT_PROCESSED_FLAG);
  });

  test('Given a processed mail, when the poller is restarted, then it is not published again', async () => {
    const def = await newMailbox();
    await append(def, invitation('<lunch-2@example.net>'));
    const first = await startPoller(def);
    await until('first run processed the mail', () => first.status().processed === 1);
    await first.stop();

    const second = await startPoller(def);
    await until('second run scanned', () => scannedEmpty(second));

    expect(second.status().processed).toBe(0);
    expect(harness.published).toHaveLength(1);
  });

  test('Given a poller waiting on an idle mailbox, when a mail is appended, then the server\'s notice brings it in without a poll', async () => {
    const def = await newMailbox();
    const poller = await startPoller(def);
    await until('first scan', () => scannedEmpty(poller));

    await append(def, invitation('<lunch-3@example.net>'));
    await until('the appended mail processed', () => poller.status().processed === 1);

    expect(harness.published.map((p) => p.event.messageId)).toEqual(['<lunch-3@example.net>']);
  });

  test('Given a move action, when a mail is processed, then it leaves the folder for the configured one', async () => {
    const def = await newMailbox({ after: { kind: 'move', folder: 'Processed' } });
    await withClient(def, (client) => client.mailboxCreate('Processed'));
    await append(def, invitation('<lunch-4@example.net>'));

    const poller = await startPoller(def);
    await until('the mail processed', () => poller.status().processed === 1 && poller.status().backlog === 0);

    expect(harness.published).toHaveLength(1);
    const count = async (client: ImapFlow, folder: string): Promise<number | undefined> => {
      const status = await client.status(folder, { messages: true });
      return status ? status.messages : undefined;
    };
    expect(await withClient(def, async (client) => [await count(client, 'INBOX'), await count(client, 'Processed')])).toEqual([0, 1]);
  });

  test('Given a wrong password, when the poller runs, then its status shows the refused login, it retries, and nothing is published', async () => {
    const def = await newMailbox();
    const wrong = { ...def, auth: { user: def.auth.user, password: 'not-the-password' } };
    const poller = await startPoller(wrong);

    await until('two failed attempts', async () => errorsSeen(poller) >= 2);

    expect(poller.status()).toMatchObject({ state: 'retrying', connected: false, lastError: { code: 'IMAP_AUTH_FAILED' } });
    expect(JSON.stringify(poller.status())).not.toContain('not-the-password');
    expect(await harness.checkpoints.statusOf(wrong.id)).toMatchObject({ lastError: { code: 'IMAP_AUTH_FAILED' } });
    expect(harness.published).toHaveLength(0);
  });

  test('Given one mailbox with a missing folder and one unreachable, when all three poll, then each bad one shows its error and the good one still delivers', async () => {
    const good = await newMailbox();
    const missing = await newMailbox({ folder: 'NoSuchFolder' });
    const unreachable = await newMailbox({ port: 1 });
    await append(good, invitation('<lunch-5@example.net>'));

    const [goodPoller, missingPoller, unreachablePoller] = [await startPoller(good), await startPoller(missing), await startPoller(unreachable)];
    await until('the good mailbox processed its mail', () => goodPoller.status().processed === 1);
    await until('both bad mailboxes failed', () => missingPoller.status().lastError !== undefined && unreachablePoller.status().lastError !== undefined);

    expect(missingPoller.status().lastError).toMatchObject({ code: 'IMAP_FOLDER_MISSING' });
    expect(unreachablePoller.status()).toMatchObject({ connected: false, lastError: { code: 'IMAP_CONNECTION_FAILED' } });
    expect(harness.published.map((p) => p.event.source)).toEqual([`imap:${good.id}`]);
  });
});
