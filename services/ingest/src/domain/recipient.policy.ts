/**
 * Which recipients ingest accepts: only addresses in the configured domains (we are not an
 * open relay). Anything else is refused at RCPT time with a permanent 5xx (RFC 5321 §4.2.2:
 * 550 "mailbox unavailable / not accepted"), so the sender learns at once.
 */
export function acceptsRecipient(address: string, domains: readonly string[]): boolean {
  const at = address.lastIndexOf('@');
  if (at <= 0) return false;
  const domain = address.slice(at + 1).toLowerCase().replace(/\.$/, '');
  return domains.some((d) => domain === d || domain.endsWith(`.${d}`));
}
