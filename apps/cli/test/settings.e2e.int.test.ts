// Issue 10 §3–§4 through the built CLI and services: "Manage incoming invitations" set for one
// associate keeps a new invitation out of their diary (recorded as POLICY, naming the level),
// and switching the calendar synchronizer on hands invitations over (SYNCHRONIZER), marks the
// meeting created before as not in sync, and shows the marking's progress in `settings get` and
// `status`.
import { buildImipMessage } from '@inviteflow/testing';
import { cli, cliJson, useCliCluster } from './cli.runner';
import { eventually, upsertAssociate } from './cluster.harness';

const HOMER = 'homer@example.org';
const invitation = (uid: string): Buffer =>
  buildImipMessage({ uid, organizer: 'marge@partner.example', attendees: [HOMER], start: new Date('2026-05-04T09:00:00Z'), durationMinutes: 30, summary: uid });

interface HistoryJson { entries: Array<{ outcome: string; recipients?: Array<{ outcome: string; policy?: { level?: string } }> }> }
interface SettingsJson {
  effective?: { policy: string; level: string };
  synchronizer?: { inUse?: boolean };
  marking?: { state: string; marked?: string | number };
}
interface MeetingJson { copies: Array<{ cautions?: Array<{ code: string }> }> }

describe('incoming-invitation settings through the CLI', () => {
  const fx = useCliCluster(['example.org']);

  async function recorded(uid: string): Promise<HistoryJson['entries'][number]> {
    return eventually(`${uid} recorded`, 20_000, async () => {
      const h = await cliJson<HistoryJson>(['meeting', 'history', uid], fx.env);
      return h.code === 0 && h.body.entries.length > 0 ? h.body.entries[0] : undefined;
    });
  }

  test('When Homer\'s own setting is no tentative creation, then a new invitation is recorded as POLICY by the associate level and not booked', async () => {
    await upsertAssociate(fx.t.identity, { name: 'Homer', primaryAddress: HOMER, timeZone: 'Europe/Oslo' });
    const set = await cli(['settings', 'set', 'incoming-policy', 'no-tentative-creation', '--associate', HOMER], fx.env);
    expect(set.code).toBe(0);
    const got = await cliJson<SettingsJson>(['settings', 'get', '--associate', HOMER], fx.env);
    expect(got.body.effective).toMatchObject({ level: 'associate' });
    await fx.t.sendMail(invitation('policy-1'), { from: 'marge@partner.example', to: [HOMER] });
    const entry = await recorded('policy-1');
    expect(entry.outcome).toBe('POLICY');
    expect(entry.recipients?.[0]?.policy).toMatchObject({ level: 'associate' });
    const diary = await cliJson<{ entries?: unknown[] }>(['diary', HOMER], fx.env);
    expect(diary.body.entries ?? []).toEqual([]);
    expect((await cli(['settings', 'set', 'incoming-policy', 'inherit', '--associate', HOMER], fx.env)).code).toBe(0);
  }, 90_000);

  test('When the synchronizer preference is switched on, then the earlier meeting is marked not in sync, the marking shows in status, and new invitations are handed over', async () => {
    // Arrange: a meeting the invite system created before the switch
    await fx.t.sendMail(invitation('before-sync'), { from: 'marge@partner.example', to: [HOMER] });
    expect((await recorded('before-sync')).outcome).toBe('APPLIED');
    // Act
    const on = await cli(['settings', 'set', 'synchronizer', 'on', '--reason', 'e2e'], fx.env);
    expect(on.code).toBe(0);
    // Assert
    await eventually('the marking done', 30_000, async () => {
      const s = await cliJson<SettingsJson>(['settings', 'get'], fx.env);
      return s.body.marking?.state === 'done' ? s : undefined;
    });
    const shown = await cliJson<MeetingJson>(['meeting', 'show', 'before-sync'], fx.env);
    expect(shown.body.copies[0]?.cautions?.map((c) => c.code)).toContain('NOT_IN_SYNC');
    const status = await cli(['status'], fx.env);
    expect(status.stdout).toMatch(/not-in-sync marking: done/);
    await fx.t.sendMail(invitation('after-sync'), { from: 'marge@partner.example', to: [HOMER] });
    expect((await recorded('after-sync')).outcome).toBe('SYNCHRONIZER');
  }, 90_000);
});
