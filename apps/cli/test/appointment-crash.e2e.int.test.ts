import { buildImipMessage, uniqueSuffix } from '@inviteflow/testing';
import { eventually, listDiary, startTestCluster, TestCluster, upsertAssociate } from './cluster.harness';

const INVITATIONS = 60;

describe('the appointment service killed with invitations in flight', () => {
  let t: TestCluster;

  beforeAll(async () => {
    t = await startTestCluster(['contoso.test']);
  }, 90_000);

  afterAll(async () => {
    await t?.stop();
  }, 60_000);

  test('When appointment is SIGKILLed mid-stream and started again, then every invitation is applied exactly once', async () => {
    // Arrange
    await upsertAssociate(t.identity, { name: 'Ann', primaryAddress: 'ann@contoso.test' });
    const run = uniqueSuffix();
    const uids = Array.from({ length: INVITATIONS }, (_, i) => `crash-${run}-${i}`);
    const mails = uids.map((uid, i) => buildImipMessage({
      uid, organizer: 'boss@partner.test', attendees: ['ann@contoso.test'], start: new Date(Date.UTC(2026, 5, 1, 8 + (i % 8))), durationMinutes: 30,
    }));

    // Act: send everything, kill appointment as soon as the first invitations land
    const sending = Promise.all(mails.map((raw) => t.sendMail(raw, { from: 'boss@partner.test', to: ['ann@contoso.test'] })));
    const before = await eventually('the first appointments', 15_000, async () => {
      const d = await listDiary(t.appointment(), 'ann@contoso.test');
      return d.entries.length > 0 ? d : undefined;
    });
    await t.cluster.kill('appointment');
    // The kill must have interrupted work, or this test proves nothing.
    expect(before.entries.length).toBeLessThan(INVITATIONS);
    const sent = await sending;
    await t.cluster.start('appointment');

    // Assert: all of them, once each; a redelivery after the crash changed nothing (each copy written once: version 1)
    expect(sent.every((s) => s.response.startsWith('250'))).toBe(true);
    const diary = await eventually(`all ${INVITATIONS} appointments`, 30_000, async () => {
      const d = await listDiary(t.appointment(), 'ann@contoso.test');
      return d.entries.length >= INVITATIONS ? d : undefined;
    });
    const seen = diary.entries.map((a) => a.uid).sort();
    expect(seen).toEqual([...uids].sort());
    expect(new Set(seen).size).toBe(INVITATIONS);
    expect(diary.entries.filter((a) => a.copyVersion !== 1)).toEqual([]);
  }, 90_000);
});
