// Issue 15 pt 4 on the apply path (real MongoDB-wire stand-in): a REPLY or CANCEL changes a
// meeting only when its sender is authenticated for the From domain (enforce by default), and
// only when that From is the iCalendar party it speaks for. The authentication results are what
// the parser records (services/parser/src/auth, tested there against signed and forged mail).
import { eventsV1 } from '@inviteflow/proto-gen';
import { toInviteOutcome } from '../src/grpc/explain-mail.rpc';
import { ApplyFixture, startApplyFixture } from './appointment.fixture';
import { FakeIdentity } from './fake-identity';

const HOMER = 'homer@example.org';
const MARGE = 'marge@example.org';
const LENNY = 'lenny@partner.example';
const LENNY_ALIAS = 'l.leonard@partner.example';
const CARL = 'carl@partner.example';
const at = (iso: string) => new Date(iso);

type Auth = eventsV1.MailAuthentication;
/** As the parser records a mail DKIM-signed by partner.example (DMARC pass). */
const SIGNED: Auth = eventsV1.MailAuthentication.fromPartial({
  authservId: 'mx.inviteflow.test', fromDomain: 'partner.example', spf: 'fail', spfDomain: 'partner.example', spfSource: 'smtp',
  dkim: [{ domain: 'partner.example', selector: 'test', result: 'pass', aligned: true }], dmarc: 'pass', dmarcPolicy: 'reject', arc: 'none',
  results: 'mx.inviteflow.test; dkim=pass header.d=partner.example header.s=test; spf=fail smtp.mailfrom=partner.example; dmarc=pass header.from=partner.example',
});
/** As the parser records the same mail sent by someone else: unsigned, SPF fails, DMARC fails. */
const FORGED: Auth = eventsV1.MailAuthentication.fromPartial({
  authservId: 'mx.inviteflow.test', fromDomain: 'partner.example', spf: 'fail', spfDomain: 'partner.example', spfSource: 'smtp', dkim: [], dmarc: 'fail', dmarcPolicy: 'reject', arc: 'none',
  results: 'mx.inviteflow.test; dkim=none; spf=fail smtp.mailfrom=partner.example; dmarc=fail header.from=partner.example',
});

interface Msg { mailId: string; method: string; to: string[]; from: string; auth?: Auth; organizer?: string; attendees?: { address: string; partstat?: string }[] }

function encode(m: Msg): Uint8Array {
  const request = m.method === 'REQUEST';
  return eventsV1.InviteParsed.encode(eventsV1.InviteParsed.fromPartial({
    mailId: m.mailId, method: m.method, uid: 'review', mail: { envelopeTo: m.to, from: m.from, authentication: m.auth },
    events: [{
      sequence: 0, dtstamp: at('2026-04-01T08:00:00Z'), start: request ? at('2026-04-07T08:00:00Z') : undefined, end: request ? at('2026-04-07T09:00:00Z') : undefined,
      timeZoneSource: 'utc', summary: 'Review', organizer: { address: m.organizer ?? MARGE },
      attendees: (m.attendees ?? [{ address: HOMER }, { address: LENNY }]).map((p) => ({ partstat: 'NEEDS-ACTION', ...p })),
    }],
  })).finish();
}

describe('sender authentication on the apply path', () => {
  let fx: ApplyFixture;
  let seq = 0;
  const deliver = (m: Msg) => fx.handle({ data: encode(m), seq: ++seq });
  const lennyAnswer = async () => (await fx.meetings.find('MARGE', 'review'))!.master!.attendees.find((a) => a.address === LENNY)!;
  const outcomeOf = async (mailId: string) => (await fx.outcomes.findForMail(mailId, ['review']))[0]!;

  async function start(recordOnly = false): Promise<void> {
    const identity = new FakeIdentity();
    identity.addAssociate('HOMER', { primaryAddress: HOMER, timeZone: 'Europe/Oslo' });
    identity.addAssociate('MARGE', { primaryAddress: MARGE, timeZone: 'Europe/Oslo' });
    identity.persons.set(LENNY, 'P-LENNY');
    identity.persons.set(LENNY_ALIAS, 'P-LENNY');
    fx = await startApplyFixture(identity, ['example.org'], undefined, recordOnly ? { defaultMode: 'enforce', domains: { 'partner.example': 'record-only' } } : undefined);
    // Marge organizes; her copy comes from the REQUEST her own client sent her.
    await deliver({ mailId: 'req', method: 'REQUEST', to: [MARGE], from: MARGE });
  }

  afterEach(async () => fx.close());

  test('When a forged REPLY (From not aligned, DKIM fails) arrives, then nothing changes and it is recorded UNVERIFIED_SENDER with its results', async () => {
    // Arrange
    await start();
    // Act
    await deliver({ mailId: 'forged', method: 'REPLY', to: [MARGE], from: LENNY, auth: FORGED, attendees: [{ address: LENNY, partstat: 'DECLINED' }] });
    // Assert
    expect((await lennyAnswer()).answer).toBeUndefined();
    const outcome = await outcomeOf('forged');
    expect(outcome).toMatchObject({ outcome: 'UNVERIFIED_SENDER', appointmentIds: [] });
    expect(outcome.recipients!.map((r) => [r.address, r.outcome, r.decisions[0]!.reason])).toEqual([[MARGE, 'UNVERIFIED_SENDER', 'UNVERIFIED_SENDER']]);
    // What `inviteflow explain` gets over gRPC
    const explained = toInviteOutcome(outcome);
    expect(explained.authentication).toBe(FORGED.results);
    expect(explained.senderCheck).toBe('unverified: dmarc=fail for partner.example');
  });

  test('When the same REPLY is signed by the attendee\'s domain, then it is applied and recorded verified', async () => {
    await start();
    await deliver({ mailId: 'signed', method: 'REPLY', to: [MARGE], from: LENNY, auth: SIGNED, attendees: [{ address: LENNY, partstat: 'ACCEPTED' }] });
    expect((await lennyAnswer()).answer?.partstat).toBe('ACCEPTED');
    expect(toInviteOutcome(await outcomeOf('signed'))).toMatchObject({ outcome: 'APPLIED', senderCheck: 'verified', authentication: SIGNED.results });
  });

  test('When a signed REPLY comes from the attendee\'s alias, then it passes', async () => {
    await start();
    await deliver({ mailId: 'alias', method: 'REPLY', to: [MARGE], from: LENNY_ALIAS, auth: SIGNED, attendees: [{ address: LENNY, partstat: 'TENTATIVE' }] });
    expect((await lennyAnswer()).answer?.partstat).toBe('TENTATIVE');
  });

  test('When a signed REPLY\'s From is a different attendee than the one it speaks for, then nothing changes (UNAUTHORISED)', async () => {
    await start();
    await deliver({ mailId: 'carl-for-lenny', method: 'REPLY', to: [MARGE], from: CARL, auth: SIGNED, attendees: [{ address: LENNY, partstat: 'DECLINED' }] });
    expect((await lennyAnswer()).answer).toBeUndefined();
    expect((await outcomeOf('carl-for-lenny')).recipients!.map((r) => [r.outcome, r.decisions[0]!.reason])).toEqual([['UNAUTHORISED', 'NOT_FROM_ATTENDEE']]);
  });

  test('When the From domain is record-only, then a forged REPLY is applied and the failure is recorded', async () => {
    await start(true);
    await deliver({ mailId: 'forged', method: 'REPLY', to: [MARGE], from: LENNY, auth: FORGED, attendees: [{ address: LENNY, partstat: 'ACCEPTED' }] });
    expect((await lennyAnswer()).answer?.partstat).toBe('ACCEPTED');
    expect(toInviteOutcome(await outcomeOf('forged'))).toMatchObject({ outcome: 'APPLIED', senderCheck: 'unverified: dmarc=fail for partner.example (record-only)' });
  });

  test('When a verified CANCEL names the organizer but comes from someone else, then the attendee\'s copy is not cancelled', async () => {
    // Arrange: Lenny organizes a meeting Homer attends
    await start();
    await deliver({ mailId: 'lenny-req', method: 'REQUEST', to: [HOMER], from: LENNY, auth: SIGNED, organizer: LENNY, attendees: [{ address: HOMER }] });
    // Act: Carl, also of partner.example (so DMARC passes), cancels in Lenny's name
    await deliver({ mailId: 'carl-cancel', method: 'CANCEL', to: [HOMER], from: CARL, auth: SIGNED, organizer: LENNY, attendees: [{ address: HOMER }] });
    // Assert
    expect((await fx.meetings.find('HOMER', 'review'))!.status).toBe('active');
    expect((await outcomeOf('carl-cancel')).recipients!.map((r) => [r.outcome, r.decisions[0]!.reason])).toEqual([['UNAUTHORISED', 'NOT_FROM_ORGANIZER']]);
  });
});
