import { nameKey } from './directory.keys';

/**
 * Suggestions for an address nobody holds, pure: which directory addresses and names are
 * worth looking up. The look-ups themselves are single-key equalities done by the caller.
 */
export interface SuggestionProbe {
  /** A normalised address in the same domain, e.g. "john@contoso.com" for "john.doe@". */
  variants: string[];
  /** Name keys (domain/directory.keys nameKey), with where each came from. */
  names: Array<{ key: string; reason: 'display name' | 'local part as name' }>;
}

const MAX_VARIANTS = 24;

export function suggestionProbe(address: string, displayNames: string[]): SuggestionProbe {
  const at = address.lastIndexOf('@');
  const local = address.slice(0, at);
  const domain = address.slice(at + 1);
  const variants = localPartVariants(local)
    .filter((v) => v !== local)
    .slice(0, MAX_VARIANTS)
    .map((v) => `${v}@${domain}`);
  const names = new Map<string, 'display name' | 'local part as name'>();
  for (const display of displayNames) {
    const key = nameKey(display);
    if (key.includes(' ')) names.set(key, 'display name');
  }
  const fromLocal = nameKey(local.replace(/\d+/g, ' '));
  if (fromLocal.includes(' ') && !names.has(fromLocal)) names.set(fromLocal, 'local part as name');
  return { variants, names: [...names].map(([key, reason]) => ({ key, reason })) };
}

/**
 * The spellings people and mail admins use for one name: "john.doe" → john, doe, johndoe,
 * jdoe, j.doe, johnd, doe.john, john_doe, john-doe... Digits are dropped ("john.doe2").
 */
export function localPartVariants(local: string): string[] {
  const words = local.toLowerCase().replace(/\+.*$/, '').split(/[._\-\d]+/).filter(Boolean);
  const out = new Set<string>();
  if (words.length === 0) return [];
  const joined = words.join('');
  out.add(joined);
  for (const sep of ['.', '_', '-']) out.add(words.join(sep));
  if (words.length >= 2) {
    const first = words[0]!;
    const last = words[words.length - 1]!;
    for (const v of [first, last, `${first[0]}${last}`, `${first[0]}.${last}`, `${first}${last[0]}`, `${first}.${last[0]}`,
      `${last}.${first}`, `${last}${first}`, `${last}${first[0]}`, `${first}.${last}`, `${first}${last}`]) {
      out.add(v);
    }
  }
  return [...out];
}
