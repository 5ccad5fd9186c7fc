// What a CRM shows next to an appointment but no scheduling rule depends on: COMMENT, the
// online-meeting join link, and Outlook's busy-status and all-day flags.
import { rawValue, rawValues, textValue, type IcalComponent } from './ical';
import { WARNING, warning } from './warnings';

export interface EventExtras {
  comment: string[];
  onlineMeetingUrl: string;
  onlineMeetingProvider: string;
  busyStatus: string;
  intendedStatus: string;
  outlookAllDay: string;
}

export function readEventExtras(vevent: IcalComponent, allDay: boolean | undefined, warnings: string[]): EventExtras {
  const meeting = findOnlineMeeting(vevent);
  const outlookAllDay = upperText(vevent, 'x-microsoft-cdo-alldayevent');
  // The flag is Outlook's own view; DTSTART's value type is the one RFC 5545 defines, so it wins.
  if (allDay !== undefined && outlookAllDay && (outlookAllDay === 'TRUE') !== allDay) {
    warnings.push(warning(WARNING.outlookAllDayMismatch, `X-MICROSOFT-CDO-ALLDAYEVENT:${outlookAllDay} but DTSTART is a ${allDay ? 'DATE' : 'DATE-TIME'}; DTSTART used`));
  }
  return {
    // RFC 5545 §3.8.1.4: COMMENT may occur more than once.
    comment: vevent.getAllProperties('comment').flatMap(rawValues).filter((v): v is string => typeof v === 'string' && v.trim() !== ''),
    onlineMeetingUrl: meeting?.url ?? '',
    onlineMeetingProvider: meeting?.provider ?? '',
    busyStatus: upperText(vevent, 'x-microsoft-cdo-busystatus'),
    intendedStatus: upperText(vevent, 'x-microsoft-cdo-intendedstatus'),
    outlookAllDay,
  };
}

function upperText(vevent: IcalComponent, name: string): string {
  return textValue(vevent, name).trim().toUpperCase();
}

export interface OnlineMeeting {
  url: string;
  provider: string;
}

/** Hosts of the meeting services whose join links appear in invitations, by provider. */
const PROVIDERS: ReadonlyArray<[string, RegExp]> = [
  ['teams', /^https:\/\/(?:teams\.microsoft\.com|teams\.live\.com)\/(?:l\/meetup-join|meet)\//i],
  ['zoom', /^https:\/\/(?:[a-z0-9-]+\.)*zoom(?:gov)?\.us\/(?:j|my|w|s)\//i],
  ['google-meet', /^https:\/\/meet\.google\.com\/[a-z]{3}-[a-z]{4}-[a-z]{3}/i],
  ['webex', /^https:\/\/(?:[a-z0-9-]+\.)*webex\.com\//i],
];

// Linear: no nested quantifiers, so a hostile 4 MB DESCRIPTION costs one pass.
const URL_IN_TEXT = /https:\/\/[^\s<>"'()[\]{}\\]+/gi;
const MAX_URLS_SCANNED = 200;

/**
 * The join link, from the most explicit source down: Teams' own property, RFC 7986 §5.11
 * CONFERENCE (VIDEO first), Google's X-GOOGLE-CONFERENCE, then a known provider's link in
 * LOCATION or DESCRIPTION (Zoom and Teams put it only there).
 */
export function findOnlineMeeting(vevent: IcalComponent): OnlineMeeting | undefined {
  const teams = textValue(vevent, 'x-microsoft-skypeteamsmeetingurl').trim();
  if (/^https:\/\//i.test(teams)) return { url: teams, provider: 'teams' };
  const conference = conferenceUri(vevent);
  if (conference) return { url: conference, provider: providerOf(conference) ?? 'conference' };
  const google = textValue(vevent, 'x-google-conference').trim();
  if (/^https:\/\//i.test(google)) return { url: google, provider: providerOf(google) ?? 'google-meet' };
  for (const name of ['location', 'description']) {
    const found = knownLinkIn(textValue(vevent, name));
    if (found) return found;
  }
  return undefined;
}

function conferenceUri(vevent: IcalComponent): string | undefined {
  const uris = vevent
    .getAllProperties('conference')
    .map((prop) => ({ uri: rawValue(prop), video: /VIDEO/i.test(String(prop.getParameter('feature') ?? '')) }))
    .filter((c): c is { uri: string; video: boolean } => typeof c.uri === 'string' && /^https?:\/\//i.test(c.uri.trim()));
  return (uris.find((c) => c.video) ?? uris[0])?.uri.trim();
}

function knownLinkIn(text: string): OnlineMeeting | undefined {
  let scanned = 0;
  for (const match of text.matchAll(URL_IN_TEXT)) {
    const url = match[0].replace(/[.,;:!?]+$/, '');
    const provider = providerOf(url);
    if (provider) return { url, provider };
    if (++scanned >= MAX_URLS_SCANNED) break;
  }
  return undefined;
}

function providerOf(url: string): string | undefined {
  return PROVIDERS.find(([, pattern]) => pattern.test(url))?.[0];
}
