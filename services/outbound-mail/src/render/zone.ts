// Time zones for the text and the calendar: IANA names checked against the ICU data Node carries.

const known = new Map<string, boolean>();

/** A zone ICU knows (IANA name or link); '' and 'UTC' aliases count as no zone. */
export function isIanaZone(zone: string): boolean {
  if (!zone || /^(utc|etc\/utc|gmt|z)$/i.test(zone)) return false;
  let ok = known.get(zone);
  if (ok === undefined) {
    try {
      new Intl.DateTimeFormat('en', { timeZone: zone });
      ok = true;
    } catch {
      ok = false;
    }
    known.set(zone, ok);
  }
  return ok;
}

/** The zone's name in the reader's language ("Central European Time", "Mitteleuropäische Zeit"). */
export function zoneDisplayName(zone: string, language: string, at: Date): string {
  const parts = new Intl.DateTimeFormat(language, { timeZone: zone, timeZoneName: 'longGeneric' }).formatToParts(at);
  return parts.find((p) => p.type === 'timeZoneName')?.value ?? zone;
}
