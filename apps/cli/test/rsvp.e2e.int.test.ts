// Issue 11 §4 end to end: a click on an RSVP link changes that attendee's PARTSTAT on the
// organizer's copy in the running cluster (outbound-mail's endpoint → invite.parsed.v1 →
// the scheduling agent), recorded as mail `rsvp:<token id>`; forged, expired, outdated and
// cross-attendee links change nothing. The tokens are made here from the documented format
// (docs/outbound.md, "RSVP links"; the CLI may not import outbound-mail's code), with the secret
// the cluster's outbound-mail is given, so this also pins the wire format.
import { createHash, createHmac } from 'node:crypto';
import { appointmentV1 } from '@inviteflow/proto-gen';
import { callUnary } from '@inviteflow/rpc';
import { cliJson, useCliCluster } from './cli.runner';
import { eventually, upsertAssociate } from './cluster.harness';

const SECRET = 'e2e-rsvp-secret-0123456789abcdefghij';
const MARGE = 'marge@example.org';
const LENNY = 'lenny@partner.example';
const CARL = 'carl@partner.example';

interface Claims { a: string; o: string; u: string; s: number; p: string; e: number; r?: string }
interface CrmJson { uid: string; sequence?: number }

/** `<key id>.<base64url JSON>.<base64url HMAC-SHA256, first 16 bytes>` (docs/outbound.md). */
function token(c: Partial<Claims> & Pick<Claims, 'u' | 's' | 'p'>, secret = SECRET): string {
  const payload = Buffer.from(JSON.stringify({ v: 1, a: LENNY, o: MARGE, e: Math.floor(Date.now() / 1000) + 3600, ...c })).toString('base64url');
  const signed = `e2e.${payload}`;
  return `${signed}.${createHmac('sha256', secret).update(signed).digest().subarray(0, 16).toString('base64url')}`;
}
const mailIdOf = (t: string): string => `rsvp:${createHash('sha256').update(t).digest().subarray(0, 12).toString('base64url')}`;

describe('an RSVP click end to end', () => {
  const previous = process.env['RSVP_SECRET'];
  // Before the cluster starts: its processes inherit the environment.
  beforeAll(() => void (process.env['RSVP_SECRET'] = `e2e:${SECRET}`));
  const fx = useCliCluster(['example.org']);
  afterAll(() => {
    if (previous === undefined) delete process.env['RSVP_SECRET'];
    else process.env['RSVP_SECRET'] = previous;
  });

  const rsvpBase = (): string => `http://127.0.0.1:${fx.t.cluster.processes.get('outbound-mail')!.ports['rsvp']}/rsvp/`;
  const click = async (method: 'GET' | 'POST', t: string) => {
    const res = await fetch(`${rsvpBase()}${t}`, { method });
    return { status: res.status, html: await res.text() };
  };
  const organizerCopy = async (uid: string): Promise<appointmentV1.MeetingCopy> => {
    const client = fx.t.appointment();
    const res = await callUnary<appointmentV1.GetMeetingResponse>((md, o, cb) => client.getMeeting({ uid, owner: MARGE }, md, o, cb), 5000);
    return res.copies.find((c) => c.role === 'organizer')!;
  };
  const answers = async (uid: string): Promise<Record<string, string>> => Object.fromEntries(
    (await organizerCopy(uid)).master!.attendees.map((a) => [a.address, a.answer?.partstat ?? a.partstat]),
  );
  const history = async (uid: string): Promise<string[]> =>
    (await cliJson<{ entries: Array<{ mailId: string }> }>(['meeting', 'history', uid], fx.env)).body.entries.map((e) => e.mailId);

  test('When Lenny accepts by link, then his PARTSTAT on Marge\'s copy is ACCEPTED, recorded as rsvp:<token id>; bad links change nothing; after an update the old link is outdated', async () => {
    // Arrange: Marge books with two externals (the organizer's copy exists in the appointment service).
    await upsertAssociate(fx.t.identity, { name: 'Marge', primaryAddress: MARGE, timeZone: 'Europe/Oslo' });
    const booked = await cliJson<CrmJson>(['book', MARGE, '--summary', 'Budget <review>', '--start', '2026-06-01T09:00', '--end', '2026-06-01T10:00',
      '--participant', LENNY, '--participant', CARL, '--request-id', 'e2e-rsvp-book'], fx.env);
    expect(booked.code).toBe(0);
    const uid = booked.body.uid;
    const seq0 = (await organizerCopy(uid)).sequence;
    const accept = token({ u: uid, s: seq0, p: 'ACCEPTED' });

    // Act 1: open the link (GET), then press the button (POST) twice.
    const page = await click('GET', accept);
    expect([page.status, page.html]).toEqual([200, expect.stringContaining('Budget &lt;review&gt;')]);
    expect(await answers(uid)).toEqual({ [MARGE]: 'ACCEPTED', [LENNY]: 'NEEDS-ACTION', [CARL]: 'NEEDS-ACTION' });
    expect((await click('POST', accept)).status).toBe(200);

    // Assert 1
    await eventually('Lenny ACCEPTED on Marge\'s copy', 20_000, async () => ((await answers(uid))[LENNY] === 'ACCEPTED' ? true : undefined));
    const again = await click('POST', accept);
    expect([again.status, again.html]).toEqual([200, expect.stringContaining('already accepted')]);
    expect((await history(uid)).filter((m) => m.startsWith('rsvp:'))).toEqual([mailIdOf(accept)]);

    // Act 2: forged, expired and cross-attendee links (Carl's answer carried by Lenny's signature).
    const lennyDecline = token({ u: uid, s: seq0, p: 'DECLINED' });
    const carlPayload = token({ u: uid, s: seq0, p: 'DECLINED', a: CARL }).split('.')[1];
    const bad = [
      token({ u: uid, s: seq0, p: 'DECLINED' }, 'a-secret-that-is-not-the-cluster-one-xx'),
      token({ u: uid, s: seq0, p: 'DECLINED', e: Math.floor(Date.now() / 1000) - 60 }),
      `${lennyDecline.split('.')[0]}.${carlPayload}.${lennyDecline.split('.')[2]}`,
    ];
    const statuses = [];
    for (const t of bad) statuses.push((await click('POST', t)).status);

    // Assert 2
    expect(statuses).toEqual([403, 410, 403]);
    expect(await answers(uid)).toEqual({ [MARGE]: 'ACCEPTED', [LENNY]: 'ACCEPTED', [CARL]: 'NEEDS-ACTION' });

    // Act 3: Marge moves the meeting (SEQUENCE bumped, RFC 5546 §2.1.4); Lenny's old Decline link is outdated.
    const moved = await cliJson<CrmJson>(['meeting', 'update', uid, '--owner', MARGE, '--start', '2026-06-02T09:00', '--end', '2026-06-02T10:00', '--request-id', 'e2e-rsvp-move'], fx.env);
    expect(moved.code).toBe(0);
    const seq1 = (await organizerCopy(uid)).sequence;
    const before = await answers(uid);
    const outdated = await click('POST', lennyDecline);
    const afterOutdated = await answers(uid);
    const fresh = token({ u: uid, s: seq1, p: 'DECLINED', a: CARL });
    const freshClick = await click('POST', fresh);

    // Assert 3: the outdated link changed nothing (and published nothing: the history, in arrival
    // order, holds Carl's later click but no message of it); Carl's link for the new version applies.
    expect(seq1).toBeGreaterThan(seq0);
    expect([outdated.status, outdated.html]).toEqual([409, expect.stringContaining('latest invitation')]);
    expect(afterOutdated).toEqual(before);
    expect(freshClick.status).toBe(200);
    await eventually('Carl DECLINED on Marge\'s copy', 20_000, async () => ((await answers(uid))[CARL] === 'DECLINED' ? true : undefined));
    expect((await answers(uid))[LENNY]).not.toBe('DECLINED');
    expect((await history(uid)).filter((m) => m.startsWith('rsvp:'))).toEqual([mailIdOf(accept), mailIdOf(fresh)]);
  }, 120_000);
});
