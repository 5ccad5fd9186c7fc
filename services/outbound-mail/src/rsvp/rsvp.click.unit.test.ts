import { appointmentV1, eventsV1 } from '@inviteflow/proto-gen';
import { handleClick, type ClickDeps } from './rsvp.click';
import { pageOf } from './rsvp.page';
import { signToken, tokenIdOf, type RsvpClaims, type RsvpKeyring } from './rsvp.token';

const NOW = new Date('2026-03-02T12:00:00Z');
const KEY = { id: 'k1', secret: Buffer.from('s'.repeat(32)) };
const RING: RsvpKeyring = { signing: KEY, byId: new Map([['k1', KEY]]) };
const LENNY = 'lenny@partner.example';
const MARGE = 'marge@example.org';
const CLAIMS: RsvpClaims = { attendee: LENNY, organizer: MARGE, uid: 'uid-1', recurrenceId: '', sequence: 1, partstat: 'ACCEPTED', expiresAt: NOW.getTime() / 1000 + 3600 };

const version = (sequence: number, dtstamp = '2026-03-01T10:00:00Z') => ({ sequence, dtstamp: new Date(dtstamp) });
function copy(o: { sequence?: number; status?: string; answer?: { partstat: string; sequence: number }; summary?: string; attendees?: string[] } = {}): appointmentV1.MeetingCopy {
  const attendees = (o.attendees ?? [LENNY]).map((address) => ({
    address, partstat: 'NEEDS-ACTION', answer: address === LENNY && o.answer ? { partstat: o.answer.partstat, version: version(o.answer.sequence, '2026-03-02T09:00:00Z'), mailId: 'rsvp:x' } : undefined,
  }));
  return appointmentV1.MeetingCopy.fromPartial({
    uid: 'uid-1', role: 'organizer', status: o.status ?? 'active', sequence: o.sequence ?? 1,
    master: { version: version(o.sequence ?? 1), summary: o.summary ?? 'Planning', start: new Date('2026-03-10T08:00:00Z'), attendees },
  });
}

function deps(found: appointmentV1.MeetingCopy | undefined | Error, failPublish = false) {
  const published: { subject: string; msgId: string; invite: eventsV1.InviteParsed }[] = [];
  const d: ClickDeps = {
    keyring: RING, now: () => NOW, log: { info: () => undefined, warn: () => undefined },
    organizerCopy: async () => {
      if (found instanceof Error) throw found;
      return found;
    },
    publish: async (subject, payload, msgId) => {
      if (failPublish) throw new Error('NATS down');
      published.push({ subject, msgId, invite: eventsV1.InviteParsed.decode(payload) });
    },
  };
  return { d, published };
}

describe('an RSVP click', () => {
  const token = signToken(CLAIMS, KEY);

  test('When the link is opened (GET), then a confirmation page with a POST button is shown and nothing is published', async () => {
    // Arrange
    const { d, published } = deps(copy());
    // Act
    const outcome = await handleClick(d, 'GET', token);
    // Assert
    expect([outcome.kind, published]).toEqual(['confirm', []]);
    expect(pageOf(outcome, `/rsvp/${token}`).html).toContain(`<form method="post" action="/rsvp/${token}">`);
  });

  test('When the button is pressed (POST), then the REPLY the attendee\'s client would have sent goes on invite.parsed.v1', async () => {
    // Arrange
    const { d, published } = deps(copy());
    // Act
    const outcome = await handleClick(d, 'POST', token);
    // Assert
    expect(outcome.kind).toBe('applied');
    expect(published).toHaveLength(1);
    const { subject, msgId, invite } = published[0]!;
    const mailId = `rsvp:${tokenIdOf(token)}`;
    expect([subject, msgId]).toEqual(['invite.parsed.v1', `${mailId}:none`]);
    expect(invite).toMatchObject({ mailId, method: 'REPLY', uid: 'uid-1', mail: { from: LENNY, envelopeFrom: LENNY, envelopeTo: [MARGE] } });
    expect(invite.events).toEqual([expect.objectContaining({ recurrenceId: '', sequence: 1, dtstamp: NOW, organizer: expect.objectContaining({ address: MARGE }), attendees: [expect.objectContaining({ address: LENNY, partstat: 'ACCEPTED' })] })]);
  });

  test('When the organizer\'s copy already holds this answer, then the page says so and nothing is published again', async () => {
    const { d, published } = deps(copy({ answer: { partstat: 'ACCEPTED', sequence: 1 } }));

    const outcome = await handleClick(d, 'POST', token);

    expect([outcome.kind, published.length]).toEqual(['already', 0]);
  });

  test('When the attendee answered otherwise since, then the click is a new message (msgID names the answer it replaces)', async () => {
    const { d, published } = deps(copy({ answer: { partstat: 'DECLINED', sequence: 1 } }));

    await handleClick(d, 'POST', token);

    expect(published.map((p) => p.msgId)).toEqual([`rsvp:${tokenIdOf(token)}:2026-03-02T09:00:00.000Z`]);
  });

  test.each([
    ['the meeting moved on to a later SEQUENCE', copy({ sequence: 2 }), 'outdated', 409],
    ['the meeting is cancelled', copy({ status: 'cancelled' }), 'cancelled', 410],
    ['the attendee is no longer invited', copy({ attendees: ['carl@partner.example'] }), 'not-invited', 403],
    ['the organizer holds no such meeting', undefined, 'unknown', 404],
  ])('When %s, then the page says so and nothing is published', async (_what, found, kind, status) => {
    const { d, published } = deps(found);

    const outcome = await handleClick(d, 'POST', token);

    expect([outcome.kind, pageOf(outcome, '/').status, published.length]).toEqual([kind, status, 0]);
  });

  test('When the appointment service does not answer, then the click is published unchecked (the scheduling agent still judges it)', async () => {
    const { d, published } = deps(new Error('UNAVAILABLE'));

    const outcome = await handleClick(d, 'POST', token);

    expect([outcome.kind, outcome.kind === 'applied' && outcome.checked, published.map((p) => p.msgId)]).toEqual(['applied', false, [`rsvp:${tokenIdOf(token)}`]]);
  });

  test('When NATS refuses the publish, then the page asks to try again (503)', async () => {
    const { d } = deps(copy(), true);

    const outcome = await handleClick(d, 'POST', token);

    expect([outcome.kind, pageOf(outcome, '/').status]).toEqual(['unavailable', 503]);
  });

  test.each([
    ['forged', `${token.slice(0, -2)}AA`, 403],
    ['expired', signToken({ ...CLAIMS, expiresAt: NOW.getTime() / 1000 - 1 }, KEY), 410],
    ['malformed', 'nonsense', 400],
  ])('When the link is %s, then a 4xx page is shown and nothing is published, nor asked', async (kind, bad, status) => {
    // Arrange
    const { d, published } = deps(copy());
    const asked = jest.fn(d.organizerCopy);
    // Act
    const outcome = await handleClick({ ...d, organizerCopy: asked }, 'POST', bad);
    // Assert
    expect([outcome.kind, pageOf(outcome, '/').status, published.length, asked.mock.calls.length]).toEqual([kind, status, 0, 0]);
  });

  test('When the meeting\'s summary and addresses carry markup, then every page escapes them', async () => {
    // Arrange
    const evil: RsvpClaims = { ...CLAIMS, organizer: 'm"><script>alert(1)</script>@example.org' };
    const { d } = deps(copy({ summary: '<img src=x onerror=alert(1)> & "Q1"' }));
    // Act
    const outcome = await handleClick(d, 'GET', signToken(evil, KEY));
    const html = pageOf(outcome, '/rsvp/a"b<c>').html;
    // Assert
    expect(html).not.toMatch(/<script>|<img /);
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt; &amp; &quot;Q1&quot;');
    expect(html).toContain('action="/rsvp/a&quot;b&lt;c&gt;"');
  });
});
