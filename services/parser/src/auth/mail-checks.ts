import { isIP } from 'node:net';
import type { ARCResult, DKIMVerifyResult, DMARCResult, DNSResolver, SPFResult } from 'mailauth';
import { arc } from 'mailauth/lib/arc';
import { evaluateDmarc } from 'mailauth/lib/dmarc';
import { dkimVerify } from 'mailauth/lib/dkim/verify';
import { spf } from 'mailauth/lib/spf';
import { formatDomain, getAlignment } from 'mailauth/lib/tools';

export interface MailCheckInputs {
  /** The SMTP client's address; empty for mail taken from a mailbox. */
  ip?: string;
  helo?: string;
  /** MAIL FROM. */
  sender: string;
  /** Our authserv-id (RFC 8601 §2.5). */
  mta: string;
  resolver: DNSResolver;
  /**
   * Mail with no SMTP client here (from a mailbox): the SPF result its trusted provider
   * recorded (trusted-results.ts), which DMARC reads in place of a check of our own.
   */
  trustedSpf?: { result: string; domain: string };
}

export interface MailCheckResults {
  dkim: DKIMVerifyResult;
  spf: SPFResult | false;
  arc: ARCResult | false;
  dmarc: DMARCResult | false;
}

/**
 * DKIM (RFC 6376), SPF (RFC 7208), ARC (RFC 8617) and DMARC (RFC 7489) of one mail, in the
 * order and with the options mailauth's `authenticate` uses, from mailauth's own check modules.
 *
 * Why not `authenticate` itself: its module loads the BIMI checker at start whether or not it
 * is asked for (`disableBimi` only skips the call), and that pulls in undici and a VMC
 * certificate library, ~6 MiB of heap and ~11 MiB resident in every parser (issue 14 allows a
 * service 150 MiB under load). The parser never reads BIMI, nor the Authentication-Results and
 * ARC seal `authenticate` writes: it words its own results (mail-authentication.ts).
 */
export async function checkMail(raw: Buffer, inputs: MailCheckInputs): Promise<MailCheckResults> {
  const dkim = await dkimVerify(raw, { resolver: inputs.resolver, sender: inputs.sender });
  // No HELO: the client address stands in for it; an address HELO is passed in the bracketed
  // address-literal form (RFC 5321 §4.1.3), as authenticate does.
  const helo = inputs.helo || inputs.ip;
  // SPF checks the client's address (RFC 7208 §4.1): without one there is nothing to check.
  const spfResult = inputs.ip ? await spf({
    sender: inputs.sender, mta: inputs.mta, resolver: inputs.resolver, ip: inputs.ip,
    ...(helo ? { helo: isIP(helo) ? `[${helo}]` : helo } : {}),
  } as Parameters<typeof spf>[0]) : false;
  const arcResult = await arc(dkim.arc as Parameters<typeof arc>[0], { resolver: inputs.resolver, ...(inputs.ip ? { ip: inputs.ip } : {}) });
  const spfForDmarc = spfResult ? { result: spfResult.status.result, domain: spfResult.domain ?? '' } : inputs.trustedSpf;
  const spfDomains = spfForDmarc?.result === 'pass' && spfForDmarc.domain ? [spfForDmarc.domain] : [];
  const dmarc = dkim.headerFrom ? await dmarcOf(dkim, spfDomains, arcResult, inputs.resolver) : false;
  return { dkim, spf: spfResult, arc: arcResult, dmarc };
}

async function dmarcOf(dkim: DKIMVerifyResult, spfDomains: string[], arcResult: ARCResult, resolver: DNSResolver): Promise<DMARCResult | false> {
  const { response, dkimAligned } = await evaluateDmarc({
    headerFrom: dkim.headerFrom, fromFields: dkim.fromFields, spfDomains,
    dkimDomains: (dkim.results ?? []).filter((r) => r.status.result === 'pass').map((r) => ({
      id: r.id, domain: r.signingDomain ?? '', aligned: r.status.aligned, underSized: r.status.underSized,
    })),
    arcResult, resolver,
  });
  if (response && dkimAligned) {
    // The verifier's per-signature `aligned` is a guess made before the DMARC record was read;
    // as `authenticate` does, a passing signature takes the DMARC verdict, a failing one the
    // record's alignment mode (RFC 7489 §3.1.1).
    const fromDomain = response.status.header?.from ?? '';
    for (const row of dkim.results ?? []) {
      const domain = row.signingDomain ?? '';
      if (row.status.result === 'pass') {
        row.status.aligned = dkimAligned.has(formatDomain(domain)) ? domain : false;
      } else if (response.alignment.dkim.strict) {
        const strict = row.status.aligned ? getAlignment(fromDomain, [domain], true) : false;
        row.status.aligned = strict ? strict.domain : false;
      }
    }
  }
  return response;
}
