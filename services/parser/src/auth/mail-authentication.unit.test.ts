import { testMailDomain, testResolver } from '@inviteflow/testing';
import { evaluateAuthentication, type AuthInputs } from './mail-authentication';

const REPLY = [
  'From: Lenny <lenny@partner.example>', 'To: marge@example.org', 'Subject: Accepted: Review', 'Message-ID: <r1@partner.example>',
  'MIME-Version: 1.0', 'Content-Type: text/calendar; method=REPLY; charset=utf-8', '', 'BEGIN:VCALENDAR', 'METHOD:REPLY', 'END:VCALENDAR', '',
].join('\r\n');
const smtp = (clientIp: string): AuthInputs => ({ clientIp, helo: 'mx.test', envelopeFrom: 'lenny@partner.example', trustedAuthservIds: [] });
const now = () => new Date('2026-03-02T12:00:00Z');

describe('sender authentication with mailauth (no network: the test supplies DNS)', () => {
  const partner = testMailDomain('partner.example', { spfIp: '192.0.2.10' });
  const deps = { authservId: 'mx.inviteflow.test', resolver: testResolver(partner.zone), now };

  test('When a mail is signed by its From domain, then DKIM passes aligned and DMARC passes even though SPF fails', async () => {
    const auth = await evaluateAuthentication(Buffer.from(await partner.sign(REPLY)), smtp('203.0.113.9'), deps);
    expect(auth).toMatchObject({ fromDomain: 'partner.example', spf: 'fail', spfAligned: false, dmarc: 'pass', dmarcPolicy: 'reject', spfSource: 'smtp' });
    expect(auth.dkim).toEqual([{ domain: 'partner.example', selector: 'test', result: 'pass', aligned: true }]);
    expect(auth.results).toMatch(/^mx\.inviteflow\.test; dkim=pass header\.d=partner\.example/);
  });

  test('When a subdomain signs, then DKIM passes aligned under relaxed alignment and not aligned under the record\'s adkim=s, which fails DMARC (RFC 7489 §3.1.1)', async () => {
    const signer = testMailDomain('mail.partner.example');
    const signed = Buffer.from(await signer.sign(REPLY));
    const relaxed = await evaluateAuthentication(signed, smtp('203.0.113.9'), { ...deps, resolver: testResolver(partner.zone, signer.zone) });
    expect(relaxed.dkim).toEqual([{ domain: 'mail.partner.example', selector: 'test', result: 'pass', aligned: true }]);
    expect(relaxed.dmarc).toBe('pass');
    const strictPartner = testMailDomain('partner.example', { dmarc: 'v=DMARC1; p=reject; adkim=s' });
    const strict = await evaluateAuthentication(signed, smtp('203.0.113.9'), { ...deps, resolver: testResolver(strictPartner.zone, signer.zone) });
    expect(strict.dkim).toEqual([{ domain: 'mail.partner.example', selector: 'test', result: 'pass', aligned: false }]);
    expect(strict).toMatchObject({ dmarc: 'fail', dmarcPolicy: 'reject' });
  });

  test('When a forged mail comes from an address the domain does not allow and unsigned, then DMARC fails', async () => {
    const auth = await evaluateAuthentication(Buffer.from(REPLY), smtp('203.0.113.9'), deps);
    expect(auth).toMatchObject({ spf: 'fail', dmarc: 'fail', dkim: [] });
  });

  test('When the body was changed after signing, then DKIM does not pass and DMARC fails', async () => {
    const tampered = (await partner.sign(REPLY)).replace('METHOD:REPLY', 'METHOD:CANCEL');
    const auth = await evaluateAuthentication(Buffer.from(tampered), smtp('203.0.113.9'), deps);
    // mailauth says neutral for a body hash mismatch (RFC 6376 §6.1.3 lets a verifier choose): not pass.
    expect(auth.dkim[0]).toMatchObject({ domain: 'partner.example', result: 'neutral', aligned: false });
    expect(auth.dmarc).toBe('fail');
  });

  test('When an unsigned mail comes from an IP the SPF record allows, then SPF passes aligned', async () => {
    const auth = await evaluateAuthentication(Buffer.from(REPLY), smtp('192.0.2.10'), deps);
    expect(auth).toMatchObject({ spf: 'pass', spfDomain: 'partner.example', spfAligned: true, dmarc: 'pass' });
  });

  test('When a mail claims our authserv-id in its own Authentication-Results, then it is not believed', async () => {
    const forged = `Authentication-Results: mx.inviteflow.test; spf=pass smtp.mailfrom=partner.example; dmarc=pass\r\n${REPLY}`;
    const auth = await evaluateAuthentication(Buffer.from(forged), smtp('203.0.113.9'), deps);
    expect(auth).toMatchObject({ spf: 'fail', dmarc: 'fail' });
  });

  test('When mail from a mailbox carries its trusted provider\'s SPF pass, then SPF is taken from it; from an untrusted one SPF is none', async () => {
    const received = `Authentication-Results: mx.provider.example; spf=pass smtp.mailfrom=lenny@partner.example\r\n${REPLY}`;
    const mailbox = (trusted: string[]): AuthInputs => ({ clientIp: '', helo: '', envelopeFrom: '', trustedAuthservIds: trusted });
    const trusted = await evaluateAuthentication(Buffer.from(received), mailbox(['mx.provider.example']), deps);
    expect(trusted).toMatchObject({ spf: 'pass', spfAligned: true, spfSource: 'trusted:mx.provider.example', dmarc: 'pass' });
    const untrusted = await evaluateAuthentication(Buffer.from(received), mailbox([]), deps);
    expect(untrusted).toMatchObject({ spf: 'none', spfSource: 'none', dmarc: 'fail' });
  });

  test('When mail from a mailbox is evaluated, then DMARC is evaluated once, with the provider\'s SPF result, and no SPF record is read (there is no client address to check)', async () => {
    const received = `Authentication-Results: mx.provider.example; spf=pass smtp.mailfrom=lenny@partner.example\r\n${REPLY}`;
    const asked: string[] = [];
    const resolve = testResolver(partner.zone);
    const counting = { ...deps, resolver: async (name: string, rrtype: string) => (asked.push(`${rrtype} ${name}`), resolve(name, rrtype)) };
    const auth = await evaluateAuthentication(Buffer.from(received), { clientIp: '', helo: '', envelopeFrom: 'lenny@partner.example', trustedAuthservIds: ['mx.provider.example'] }, counting);
    expect(auth).toMatchObject({ spf: 'pass', spfSource: 'trusted:mx.provider.example', dmarc: 'pass' });
    expect(asked.filter((q) => q === 'TXT _dmarc.partner.example')).toHaveLength(1);
    expect(asked.filter((q) => q === 'TXT partner.example')).toEqual([]);
  });
});
