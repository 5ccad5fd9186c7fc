import { eventsV1 } from '@inviteflow/proto-gen';
import { checkSender, modeFor, senderCheckText, type SenderAuthSettings } from './sender-auth';

const enforce: SenderAuthSettings = { defaultMode: 'enforce', domains: { 'partner.example': 'record-only' } };
const auth = (over: Partial<eventsV1.MailAuthentication>) => eventsV1.MailAuthentication.fromPartial({ fromDomain: 'bakery.example', spf: 'fail', dmarc: 'none', ...over });

describe('checkSender (RFC 7489 §3.1 alignment, issue 15 pt 4)', () => {
  test.each([
    ['DKIM passes aligned', auth({ dkim: [{ domain: 'bakery.example', selector: 's1', result: 'pass', aligned: true }] }), true],
    ['SPF passes aligned, no DMARC record', auth({ spf: 'pass', spfAligned: true }), true],
    ['DKIM passes for another domain only', auth({ dkim: [{ domain: 'mailer.example', selector: 's1', result: 'pass', aligned: false }] }), false],
    ['DMARC fails although SPF passed aligned', auth({ spf: 'pass', spfAligned: true, dmarc: 'fail' }), false],
    ['the From domain cannot be told', auth({ fromDomain: '', spfAligned: true }), false],
  ])('When %s, then verified is %s', (_what, a, verified) => {
    expect(checkSender('REPLY', a, enforce)?.verified).toBe(verified);
  });

  test('When an unverified REPLY, CANCEL or COUNTER comes from an enforced domain, then it is refused; a REQUEST is not', () => {
    const forged = auth({ dmarc: 'fail' });
    expect(['REPLY', 'CANCEL', 'COUNTER', 'REQUEST'].map((m) => checkSender(m, forged, enforce)?.refuse)).toEqual([true, true, true, false]);
  });

  test('When the From domain (or its parent) is record-only, then nothing is refused and the text says so', () => {
    const check = checkSender('REPLY', auth({ fromDomain: 'eu.partner.example', dmarc: 'fail' }), enforce);
    expect(check).toMatchObject({ verified: false, refuse: false, mode: 'record-only' });
    expect(senderCheckText(check)).toMatch(/^unverified: dmarc=fail for eu\.partner\.example \(record-only\)$/);
    expect(modeFor('other.example', enforce)).toBe('enforce');
  });

  test('When a mail carries no evaluation (an event from before it existed), then there is no verdict', () => {
    expect(checkSender('REPLY', undefined, enforce)).toBeUndefined();
  });
});
