import type { DNSResolver } from 'mailauth';
import { getAlignment } from 'mailauth/lib/tools';
import type { eventsV1 } from '@inviteflow/proto-gen';
import { checkMail, type MailCheckResults } from './mail-checks';
import { trustedSpf } from './trusted-results';

/** What ingest knew at SMTP time (mail.received.v1); empty for mail taken from a mailbox. */
export interface AuthInputs {
  clientIp: string;
  helo: string;
  envelopeFrom: string;
  trustedAuthservIds: string[];
}

export interface AuthDeps {
  /** Our authserv-id (RFC 8601 §2.5), MAIL_AUTHSERV_ID. */
  authservId: string;
  resolver: DNSResolver;
  now: () => Date;
}

/**
 * SPF (RFC 7208), DKIM (RFC 6376), DMARC (RFC 7489) and ARC (RFC 8617) of one mail, with
 * mailauth's checks (mail-checks.ts). Incoming Authentication-Results headers are never read
 * as ours: the results come from this evaluation, and our authserv-id names them. Mail from a
 * mailbox has no client IP: SPF is the trusted provider's (see trustedSpf), else "none", and
 * DMARC reads that result.
 */
export async function evaluateAuthentication(raw: Buffer, inputs: AuthInputs, deps: AuthDeps): Promise<eventsV1.MailAuthentication> {
  const smtp = inputs.clientIp !== '';
  const trusted = smtp ? undefined : mailboxSpf(raw, inputs.trustedAuthservIds);
  const result = await checkMail(raw, {
    ...(smtp ? { ip: inputs.clientIp, helo: inputs.helo } : { trustedSpf: trusted }),
    sender: inputs.envelopeFrom, mta: deps.authservId, resolver: deps.resolver,
  });
  const fromDomain = singleFromDomain(result);
  const spf = trusted ?? smtpSpf(result);
  const dkim = dkimResults(result);
  const dmarcResult = result.dmarc;
  const dmarcStatus = dmarcResult ? dmarcResult.status.result : 'none';
  const strictSpf = Boolean(dmarcResult && dmarcResult.alignment?.spf?.strict);
  const spfAligned = spf.result === 'pass' && fromDomain !== '' && spf.domain !== '' && getAlignment(fromDomain, [spf.domain], strictSpf) !== false;
  const results = [
    `${deps.authservId}`,
    ...dkim.map((d) => `dkim=${d.result} header.d=${d.domain || 'unknown'}${d.selector ? ` header.s=${d.selector}` : ''}`),
    ...(dkim.length === 0 ? ['dkim=none'] : []),
    `spf=${spf.result}${spf.domain ? ` smtp.mailfrom=${spf.domain}` : ''}${spf.source === 'smtp' ? '' : ` (${spf.source})`}`,
    `dmarc=${dmarcStatus}${fromDomain ? ` header.from=${fromDomain}` : ''}`,
    ...(result.arc ? [`arc=${result.arc.status.result}`] : []),
  ].join('; ');
  return {
    authservId: deps.authservId, results, fromDomain,
    spf: spf.result, spfDomain: spf.domain, spfAligned, spfSource: spf.source, dkim,
    dmarc: dmarcStatus, dmarcPolicy: dmarcResult ? String(dmarcResult.policy ?? '') : '',
    arc: result.arc ? result.arc.status.result : 'none', evaluatedAt: deps.now(),
  };
}

function singleFromDomain(result: MailCheckResults): string {
  const from = result.dkim.headerFrom ?? [];
  if (from.length !== 1) return '';
  return (from[0]!.split('@').pop() ?? '').toLowerCase();
}

function smtpSpf(result: MailCheckResults): { result: string; domain: string; source: string } {
  if (!result.spf) return { result: 'none', domain: '', source: 'smtp' };
  return { result: result.spf.status.result, domain: (result.spf.domain ?? '').toLowerCase(), source: 'smtp' };
}

function mailboxSpf(raw: Buffer, trusted: string[]): { result: string; domain: string; source: string } {
  const end = raw.indexOf('\r\n\r\n');
  const header = raw.subarray(0, end < 0 ? Math.min(raw.length, 256 * 1024) : end).toString('latin1');
  const found = trustedSpf(header, trusted);
  return found ? { result: found.result, domain: found.domain, source: `trusted:${found.authservId}` } : { result: 'none', domain: '', source: 'none' };
}

function dkimResults(result: MailCheckResults): eventsV1.DkimResult[] {
  return (result.dkim.results ?? [])
    .filter((r) => r.status.result !== 'none')
    .map((r) => ({
      domain: (r.signingDomain ?? '').toLowerCase(), selector: r.selector ?? '', result: r.status.result,
      aligned: r.status.result === 'pass' && Boolean(r.status.aligned),
    }));
}

/**
 * The evaluation for the parser's handler: never throws. Hostile input that mailauth cannot
 * read is recorded as permerror (so the sender counts as unverified), not retried.
 */
export function authenticatorFor(deps: AuthDeps) {
  return async (raw: Buffer, received: eventsV1.MailReceived): Promise<eventsV1.MailAuthentication> => {
    const inputs = received.authInputs;
    try {
      return await evaluateAuthentication(raw, {
        clientIp: inputs?.clientIp ?? '', helo: inputs?.helo ?? '', envelopeFrom: received.envelopeFrom, trustedAuthservIds: inputs?.trustedAuthservIds ?? [],
      }, deps);
    } catch (err) {
      const why = (err as Error).message?.slice(0, 200) ?? 'unknown';
      return {
        authservId: deps.authservId, results: `${deps.authservId}; dmarc=permerror (evaluation failed: ${why})`, fromDomain: '',
        spf: 'none', spfDomain: '', spfAligned: false, spfSource: 'none', dkim: [], dmarc: 'permerror', dmarcPolicy: '', arc: 'none', evaluatedAt: deps.now(),
      };
    }
  };
}
