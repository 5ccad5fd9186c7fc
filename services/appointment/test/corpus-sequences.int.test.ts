// Issue 9, "Tests that must exist": the multi-message sequences of the real-client corpus —
// Fastmail's single meeting (invitation, minor update, cancel, major update) and Gmail's daily
// series (invitation, one moved occurrence, series update, stale series cancel) — parsed by the
// real parser and applied in order give the diary a person would expect. The corpus is read in
// place (INVITEFLOW_CORPUS, libs/testing corpusDir).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expandInstances } from '@inviteflow/itip';
import { parseMail } from '@inviteflow/parser-core';
import { eventsV1 } from '@inviteflow/proto-gen';
import { corpusDir } from '@inviteflow/testing';
import { ApplyFixture, startApplyFixture } from './appointment.fixture';
import { FakeIdentity } from './fake-identity';

const RECEIVER = 'receiver@example.com';
const WINDOW = { from: '2022-03-01T00:00:00Z', to: '2022-04-01T00:00:00Z' };

async function invitesOf(file: string, mailId: string): Promise<eventsV1.InviteParsed[]> {
  const outcome = await parseMail(readFileSync(join(corpusDir(), file)), { mailId, envelopeFrom: 'sender@example.com', envelopeTo: [RECEIVER] });
  if (outcome.kind !== 'parsed') throw new TypeError(`${file} did not parse: ${outcome.kind} ${outcome.reasonCode}`);
  return outcome.invites;
}

describe('the corpus sequences, applied in order to the receiver\'s copy', () => {
  let fx: ApplyFixture;
  let seq = 0;

  beforeEach(async () => {
    const identity = new FakeIdentity();
    identity.addAssociate('RECEIVER', { primaryAddress: RECEIVER, timeZone: 'Europe/Oslo' });
    fx = await startApplyFixture(identity, ['example.com']);
  });

  afterEach(async () => fx.close());

  async function deliver(file: string): Promise<string[]> {
    const codes: string[] = [];
    for (const invite of await invitesOf(file, file)) {
      await fx.handle({ data: eventsV1.InviteParsed.encode(invite).finish(), seq: ++seq });
      const [outcome] = await fx.outcomes.findForMail(file, [invite.uid]);
      codes.push(outcome!.outcome);
    }
    return codes;
  }

  async function diary(): Promise<string[][]> {
    const copy = (await fx.meetings.find('RECEIVER', '02e79b96'))!;
    return expandInstances(copy, WINDOW, { includeCancelled: true }).instances.map((i) => [i.start, i.status]);
  }

  test('When Fastmail\'s single meeting is invited, updated, cancelled and re-invited with a major change, then the diary follows each step', async () => {
    expect(await deliver('fastmail__request-single-dtend-and-duration.eml')).toEqual(['APPLIED']);
    expect(await diary()).toEqual([['2022-03-16T11:00:00.000Z', 'tentative']]);
    // Same SEQUENCE, newer DTSTAMP: a minor update (RFC 5546 §2.1.5)
    expect(await deliver('fastmail__request-update-minor-seq0.eml')).toEqual(['APPLIED']);
    expect(await deliver('fastmail__cancel-single-event.eml')).toEqual(['APPLIED']);
    expect(await diary()).toEqual([['2022-03-16T11:00:00.000Z', 'cancelled']]);
    // SEQUENCE 2 is newer than the CANCEL's 1: the organizer invites again, six hours earlier
    expect(await deliver('fastmail__request-update-major-seq2.eml')).toEqual(['APPLIED']);
    expect(await diary()).toEqual([['2022-03-16T05:00:00.000Z', 'tentative']]);
  });

  test('When Gmail\'s daily series gets a moved occurrence, a series update and an older cancel, then three instances at the new time remain', async () => {
    expect(await deliver('gmail-envelope__request-daily-count3.eml')).toEqual(['APPLIED']);
    expect(await diary()).toEqual([
      ['2022-03-16T11:00:00.000Z', 'tentative'], ['2022-03-17T11:00:00.000Z', 'tentative'], ['2022-03-18T11:00:00.000Z', 'tentative'],
    ]);
    // One occurrence moved (SEQUENCE 2): only that instance changes, the series stays
    expect(await deliver('gmail-envelope__request-exception-recurrence-id.eml')).toEqual(['APPLIED']);
    expect(await diary()).toEqual([
      ['2022-03-16T11:00:00.000Z', 'tentative'], ['2022-03-17T05:00:00.000Z', 'tentative'], ['2022-03-18T11:00:00.000Z', 'tentative'],
    ]);
    expect(await deliver('gmail-envelope__request-series-update-seq2.eml')).toEqual(['APPLIED']);
    // The CANCEL carries SEQUENCE 1, older than the series' 2: not applied, nothing disappears
    expect(await deliver('gmail-envelope__cancel-series-missing-dtstart.eml')).toEqual(['STALE']);
    expect(await diary()).toEqual([
      ['2022-03-16T05:00:00.000Z', 'tentative'], ['2022-03-17T05:00:00.000Z', 'tentative'], ['2022-03-18T05:00:00.000Z', 'tentative'],
    ]);
    const history = await fx.outcomes.historyOf('02e79b96');
    expect(history.map((h) => [h.method, h.outcome])).toEqual([['REQUEST', 'APPLIED'], ['REQUEST', 'APPLIED'], ['REQUEST', 'APPLIED'], ['CANCEL', 'STALE']]);
  });
});
