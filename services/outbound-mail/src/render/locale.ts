// Which language a recipient reads (issue 11 §3): their BCP 47 locale from the directory, mapped
// onto the six catalogues; anything else, or nothing, is English.
import type { Catalog } from './messages/catalog';
import { da } from './messages/da';
import { de } from './messages/de';
import { en } from './messages/en';
import { nb } from './messages/nb';
import { nl } from './messages/nl';
import { sv } from './messages/sv';

export const CATALOGS = { en, nb, sv, da, de, nl } as const satisfies Record<string, Catalog>;
export type Language = keyof typeof CATALOGS;

/**
 * 'nb-NO' → nb, 'sv_SE' → sv, 'de-AT' → de. 'no' (the macrolanguage) and 'nn' (Nynorsk, whose
 * readers all read Bokmål) → nb. Unknown or malformed tags → en.
 */
export function pickLanguage(locale: string): Language {
  const primary = locale.trim().replace(/_/g, '-').split('-')[0]!.toLowerCase();
  if (primary === 'no' || primary === 'nn') return 'nb';
  return primary in CATALOGS ? (primary as Language) : 'en';
}
