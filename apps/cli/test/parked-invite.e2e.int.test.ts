import { buildImipMessage } from '@inviteflow/testing';
import { cli, cliJson, useCliCluster } from './cli.runner';
import { eventually, listDiary, upsertAssociate } from './cluster.harness';

// Issue 5: an invitation for john.doe@ while only john@ is registered is not lost. It waits,
// is listed as unresolved, and reaches John's diary as soon as the address becomes his alias.
const UNKNOWN = 'john.doe@example.org';

/** An invitation to `to`, whose ATTENDEE line carries a display name (CN). */
function invitation(uid: string, to: string, name: string, sequence: number, summary: string): Buffer {
  const raw = buildImipMessage({ uid, organizer: 'marge@partner.example', attendees: [to], start: new Date('2026-05-04T09:00:00Z'), durationMinutes: 30, sequence, summary });
  return Buffer.from(raw.toString('utf8').replace(`ATTENDEE;PARTSTAT`, `ATTENDEE;CN=${name};PARTSTAT`));
}

interface UnresolvedJson {
  totalOpen: number;
  addresses: Array<{ address: string; count: number; firstSeen: string; lastSeen: string; displayNames: string[]; resolvedTo?: string; suggestions: Array<{ associate: { id: string }; reason: string }> }>;
}

describe('an invitation parked until its address becomes known', () => {
  const fx = useCliCluster(['example.org']);

  test('When an invite and its update reach john.doe@ (unknown), then they wait, are listed as unresolved, and reach John\'s diary in order once the alias is added', async () => {
    // Arrange: John is known only as john@; Homer is another associate
    const john = await upsertAssociate(fx.t.identity, { name: 'John Doe', primaryAddress: 'john@example.org', timeZone: 'Europe/Oslo' });
    await upsertAssociate(fx.t.identity, { name: 'Homer Simpson', primaryAddress: 'homer@example.org' });

    // Act 1: the invitation, then its update, both to the address nobody holds
    await fx.t.sendMail(invitation('parked-1', UNKNOWN, 'John Doe', 0, 'Kick-off'), { from: 'marge@partner.example', to: [UNKNOWN] });
    await fx.t.sendMail(invitation('parked-1', UNKNOWN, 'John Doe', 1, 'Kick-off (moved)'), { from: 'marge@partner.example', to: [UNKNOWN] });

    // Assert 1: listed as unresolved with both mails and John suggested; nothing in any diary
    const listed = await eventually('john.doe@ listed as unresolved with two mails', 15_000, async () => {
      const run = await cliJson<UnresolvedJson>(['unresolved'], fx.env);
      const entry = run.body.addresses.find((a) => a.address === UNKNOWN);
      return entry && entry.count === 2 ? { run, entry } : undefined;
    });
    expect(listed.run.code).toBe(0);
    expect(listed.entry).toMatchObject({ displayNames: ['John Doe'] });
    expect(new Date(listed.entry.firstSeen).getTime()).toBeLessThanOrEqual(new Date(listed.entry.lastSeen).getTime());
    expect(listed.entry.suggestions[0]).toMatchObject({ associate: { id: john.associate!.id } });
    expect((await listDiary(fx.t.appointment(), 'john@example.org')).entries).toEqual([]);
    expect((await listDiary(fx.t.appointment(), 'homer@example.org')).entries).toEqual([]);
    const human = await cli(['unresolved'], fx.env);
    expect(human.stdout).toMatch(/john\.doe@example\.org\s+2\s/);
    expect(human.stdout).toMatch(/John Doe <john@example\.org> \(display name/);

    // Act 2: the address becomes John's alias
    const added = await cli(['alias', 'add', UNKNOWN, 'john@example.org'], fx.env);
    expect(added.code).toBe(0);

    // Assert 2: the parked invitation and its update are applied, in order, once
    const diary = await eventually('the parked appointment in John\'s diary', 15_000, async () => {
      const res = await listDiary(fx.t.appointment(), 'john@example.org');
      return res.entries.length > 0 && res.entries[0]!.sequence === 1 ? res : undefined;
    });
    expect(diary.entries).toHaveLength(1);
    expect(diary.entries[0]).toMatchObject({ uid: 'parked-1', sequence: 1, summary: 'Kick-off (moved)' });
    expect((await listDiary(fx.t.appointment(), 'homer@example.org')).entries).toEqual([]);
    const after = await cliJson<UnresolvedJson>(['unresolved'], fx.env);
    expect(after.body.addresses.find((a) => a.address === UNKNOWN)).toBeUndefined();
    const all = await cliJson<UnresolvedJson>(['unresolved', '--all'], fx.env);
    expect(all.body.addresses.find((a) => a.address === UNKNOWN)).toMatchObject({ resolvedTo: john.associate!.id });

    // Act 3 / Assert 3: later mail to the alias goes straight to the diary, and is not parked
    await fx.t.sendMail(invitation('parked-2', UNKNOWN, 'John Doe', 0, 'Follow-up'), { from: 'marge@partner.example', to: [UNKNOWN] });
    await eventually('the follow-up in John\'s diary', 15_000, async () => {
      const res = await listDiary(fx.t.appointment(), 'john@example.org');
      return res.entries.some((a) => a.uid === 'parked-2') ? res : undefined;
    });
    expect((await cliJson<UnresolvedJson>(['unresolved'], fx.env)).body.totalOpen).toBe(0);
  }, 90_000);
});
