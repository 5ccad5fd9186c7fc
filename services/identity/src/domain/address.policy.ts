import { createHash } from 'node:crypto';

/**
 * Per-domain rules that make different spellings one mailbox. All three are facts about how
 * a mail system delivers, not about the CRM, so they are configured per domain:
 * - `subaddress`: "john+crm@x" is delivered to "john@x" (RFC 5233 sub-addressing; Gmail,
 *   Fastmail, iCloud and Exchange Online all deliver "+tag" to the base mailbox).
 * - `dotInsensitive`: "j.o.h.n@gmail.com" is "john@gmail.com" (Gmail ignores dots).
 * - `aliasOf`: every mailbox of this domain is the one of the same name in another domain
 *   (contoso.onmicrosoft.com ≡ contoso.com, googlemail.com ≡ gmail.com).
 */
export interface DomainPolicy {
  /** Characters that start a sub-address; '' turns sub-addressing off. */
  readonly subaddress?: string;
  readonly dotInsensitive?: boolean;
  readonly aliasOf?: string;
}

/** Domain (ASCII, lowercase) → policy; `*` applies to every domain without its own entry. */
export type PolicySet = Readonly<Record<string, DomainPolicy>>;

export type PolicyRule = 'domain-alias' | 'subaddress' | 'dots';

export interface CanonicalAddress {
  /** The directory key: equal mailboxes have equal keys. */
  readonly key: string;
  /** Rules that changed the address on the way to the key, in the order applied. */
  readonly rules: readonly PolicyRule[];
}

/**
 * The documented defaults (docs/identity.md): sub-addressing with "+" everywhere, and Gmail's
 * own rules. Our own domains and their aliases are deployment facts, so they are configured.
 */
export const DEFAULT_POLICIES: PolicySet = {
  '*': { subaddress: '+' },
  'gmail.com': { subaddress: '+', dotInsensitive: true },
  'googlemail.com': { aliasOf: 'gmail.com' },
};

const MAX_ALIAS_HOPS = 4;

/** A configured entry replaces the default entry for the same domain as a whole. */
export function mergePolicies(...layers: PolicySet[]): PolicySet {
  return Object.assign({}, ...layers) as PolicySet;
}

/** Pure: the directory key of an already normalised address (domain/address.normalise). */
export function canonicalAddress(normalised: string, policies: PolicySet): CanonicalAddress {
  const at = normalised.lastIndexOf('@');
  let local = normalised.slice(0, at);
  let domain = normalised.slice(at + 1);
  const rules: PolicyRule[] = [];
  for (let hop = 0; hop < MAX_ALIAS_HOPS && policies[domain]?.aliasOf; hop++) {
    domain = policies[domain]!.aliasOf!;
    if (!rules.includes('domain-alias')) rules.push('domain-alias');
  }
  const policy = policies[domain] ?? policies['*'] ?? {};
  const separator = firstSeparator(local, policy.subaddress ?? '');
  // A local part that starts with the separator ("+team@") has no base mailbox to strip to.
  if (separator > 0) {
    local = local.slice(0, separator);
    rules.push('subaddress');
  }
  if (policy.dotInsensitive && local.includes('.')) {
    const undotted = local.replace(/\./g, '');
    if (undotted.length > 0) {
      local = undotted;
      rules.push('dots');
    }
  }
  return { key: `${local}@${domain}`, rules };
}

/**
 * Problems with a policy set, as sentences naming the domain; empty when it is usable.
 * Checked at boot so a bad policy stops the process instead of mis-resolving mail.
 */
export function policyProblems(policies: PolicySet): string[] {
  const problems: string[] = [];
  for (const [domain, policy] of Object.entries(policies)) {
    if (domain === '*' && policy.aliasOf) problems.push('"*" cannot be an alias of another domain');
    if (policy.aliasOf && (policy.subaddress !== undefined || policy.dotInsensitive !== undefined)) {
      problems.push(`"${domain}" is an alias of "${policy.aliasOf}": its rules come from there, so it cannot set its own`);
    }
    if (policy.subaddress !== undefined && /[\s@.]/.test(policy.subaddress)) {
      problems.push(`"${domain}": subaddress separators cannot include spaces, "@" or "."`);
    }
    const chain = aliasChain(domain, policies);
    if (chain.length - 1 > MAX_ALIAS_HOPS || new Set(chain).size !== chain.length) {
      problems.push(`"${domain}": domain aliases form a loop or a chain longer than ${MAX_ALIAS_HOPS} (${chain.join(' → ')})`);
    }
  }
  return problems;
}

/**
 * Changes when any rule changes; stored with the directory so that keys written under an
 * older policy are rebuilt at start (data/directory.rekey).
 */
export function policyFingerprint(policies: PolicySet): string {
  const sorted = Object.keys(policies).sort().map((d) => [d, policies[d]!.subaddress ?? null, !!policies[d]!.dotInsensitive, policies[d]!.aliasOf ?? null]);
  return createHash('sha256').update(JSON.stringify(sorted)).digest('hex').slice(0, 16);
}

function firstSeparator(local: string, separators: string): number {
  let first = -1;
  for (const ch of separators) {
    const i = local.indexOf(ch);
    if (i >= 0 && (first < 0 || i < first)) first = i;
  }
  return first;
}

function aliasChain(domain: string, policies: PolicySet): string[] {
  const chain = [domain];
  let current = domain;
  while (policies[current]?.aliasOf && chain.length <= MAX_ALIAS_HOPS + 1) {
    current = policies[current]!.aliasOf!;
    if (chain.includes(current)) {
      chain.push(current);
      break;
    }
    chain.push(current);
  }
  return chain;
}
