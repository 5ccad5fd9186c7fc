import { parseDkimHeaders } from 'mailauth/lib/tools';

/** SPF as a trusted mailbox provider recorded it in its Authentication-Results header. */
export interface TrustedSpf {
  result: string;
  domain: string;
  authservId: string;
}

/**
 * Mail taken from a mailbox (IMAP) has no SMTP client address, so we cannot evaluate SPF
 * ourselves. The provider that received it did, and says so in an Authentication-Results
 * header (RFC 8601). We take its SPF only when the operator marked that provider's
 * authserv-id trusted for the mailbox, and only from the topmost such header: RFC 8601 §5
 * has the receiving MTA put its own header above the others and remove forged ones claiming
 * its id, so a lower one may be the sender's forgery.
 */
export function trustedSpf(headerBlock: string, trusted: readonly string[]): TrustedSpf | undefined {
  if (trusted.length === 0) return undefined;
  const wanted = new Set(trusted.map((t) => t.toLowerCase()));
  for (const line of authResultsLines(headerBlock)) {
    const parsed = safeParse(line);
    const authservId = String(parsed?.value ?? '').toLowerCase();
    if (!wanted.has(authservId)) continue;
    const spf = parsed?.spf as { value?: string; smtp?: { mailfrom?: string; helo?: string } } | undefined;
    if (!spf?.value) return { result: 'none', domain: '', authservId };
    const from = spf.smtp?.mailfrom ?? spf.smtp?.helo ?? '';
    return { result: String(spf.value).toLowerCase(), domain: from.includes('@') ? from.split('@').pop()!.toLowerCase() : from.toLowerCase(), authservId };
  }
  return undefined;
}

/** The Authentication-Results fields of a header block, top first, unfolded. */
function authResultsLines(headerBlock: string): string[] {
  const unfolded = headerBlock.replace(/\r?\n[ \t]+/g, ' ');
  return unfolded.split(/\r?\n/).filter((l) => /^authentication-results\s*:/i.test(l));
}

function safeParse(line: string): Record<string, unknown> | undefined {
  try {
    return (parseDkimHeaders(line) as { parsed?: Record<string, unknown> }).parsed;
  } catch {
    return undefined;
  }
}
