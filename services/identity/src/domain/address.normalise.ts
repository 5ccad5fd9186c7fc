import { domainToASCII } from 'node:url';
import { AppError } from '@inviteflow/runtime';

/**
 * The one canonical form of an email address used as a directory key: no `mailto:` scheme
 * (RFC 6068; iCalendar CAL-ADDRESS values carry it, RFC 5545 §3.3.3), trimmed, lowercased
 * (local parts are case-sensitive in RFC 5321 §2.4, but no mail system we meet treats them
 * so, and the CRM must not split one person in two), and the domain in its ASCII (punycode)
 * form so Unicode and punycode spellings of one domain are one address (RFC 5890).
 * Per-domain policies (sub-addressing, dots, domain aliases) build on this form.
 */
export function normaliseAddress(input: string): string {
  let value = input.trim();
  // Some clients double the scheme ("mailto:mailto:x@y"); strip every leading one.
  while (/^mailto:/i.test(value)) value = value.slice('mailto:'.length).trim();
  if (value.startsWith('<') && value.endsWith('>')) value = value.slice(1, -1).trim();
  const at = value.lastIndexOf('@');
  if (at <= 0 || at === value.length - 1) throw invalidAddress(input, 'it needs a local part, "@" and a domain');
  const local = value.slice(0, at).toLowerCase();
  const rawDomain = value.slice(at + 1).toLowerCase().replace(/\.$/, '');
  if (/\s/.test(local) || local.length > 64) throw invalidAddress(input, 'the local part is empty, too long or has spaces');
  const domain = domainToASCII(rawDomain);
  if (!domain || !domain.includes('.')) throw invalidAddress(input, `"${rawDomain}" is not a valid domain`);
  return `${local}@${domain}`;
}

export function tryNormaliseAddress(input: string): string | undefined {
  try {
    return normaliseAddress(input);
  } catch {
    return undefined;
  }
}

export function domainOf(address: string): string {
  return address.slice(address.lastIndexOf('@') + 1);
}

function invalidAddress(input: string, why: string): AppError {
  return new AppError({ code: 'INVALID_ADDRESS', message: `"${input}" is not a valid email address: ${why}`, retryable: false });
}
