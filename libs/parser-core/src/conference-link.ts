// The meeting's online join link, so the diary can show it next to the appointment (issue 13,
// point 6). Where clients put it, from real invitations:
//   - RFC 7986 §5.11 CONFERENCE (Fastmail, Apple, CalDAV servers), one line per access method;
//   - Outlook/Teams: X-MICROSOFT-SKYPETEAMSMEETINGURL, and the same link in DESCRIPTION as
//     `click here<https://teams.microsoft.com/l/meetup-join/…>`; X-MICROSOFT-ONLINEMEETINGCONFLINK
//     is usually a `conf:sip:` URI (no use to a browser), -EXTERNALLINK sometimes an https URL;
//   - Google: X-GOOGLE-CONFERENCE, and "Join: https://meet.google.com/abc-defg-hij" in DESCRIPTION;
//   - Zoom and Webex (add-ins, hand-written invitations): only in LOCATION or DESCRIPTION.
//
// PRECEDENCE (also in docs/parser.md, "Online meeting"): explicit properties before text
// scanning, the standard before vendor extensions, the short deliberate field before the long one:
//   1. CONFERENCE (RFC 7986 §5.11): FEATURE=VIDEO first, then AUDIO, then the rest; an entry marked
//      MODERATOR (the host's access) after those without; ties in the order written;
//   2. X-MICROSOFT-SKYPETEAMSMEETINGURL;
//   3. X-MICROSOFT-ONLINEMEETINGEXTERNALLINK, then X-MICROSOFT-ONLINEMEETINGCONFLINK;
//   4. X-GOOGLE-CONFERENCE;
//   5. the first recognised Teams / Meet / Zoom / Webex link in LOCATION, then in DESCRIPTION.
// Only http(s) URLs count anywhere (tel:, sip:, conf: are not join links a diary can open). An
// explicit property's URL is taken whatever its host; text only yields a recognised provider's
// link, since a description is full of other URLs (agendas, help pages, meeting options).
import { paramText, rawValue, textValue, type IcalComponent, type IcalProperty } from './ical';

/** The property a join link was read from ('' in the normalised message when none). */
export type ConferenceSource =
  | 'CONFERENCE'
  | 'X-MICROSOFT-SKYPETEAMSMEETINGURL'
  | 'X-MICROSOFT-ONLINEMEETINGEXTERNALLINK'
  | 'X-MICROSOFT-ONLINEMEETINGCONFLINK'
  | 'X-GOOGLE-CONFERENCE'
  | 'LOCATION'
  | 'DESCRIPTION';

/**
 * The service, from the URL's host when recognised. The values are those online_meeting_provider
 * has carried on invite.parsed.v1 since issue 4 (kept, so consumers are not broken): `google-meet`
 * is Google Meet, `conference` is any other service named by an explicit property.
 */
export type ConferenceProvider = 'teams' | 'zoom' | 'google-meet' | 'webex' | 'conference';

export interface OnlineMeeting {
  url: string;
  provider: ConferenceProvider;
  source: ConferenceSource;
  /** RFC 7986 §6.1 LABEL of the chosen CONFERENCE ("Join video call"); '' otherwise. */
  label: string;
}

/** Join-link shapes by provider; a URL matching none is "not a join link" in free text. */
const PROVIDERS: ReadonlyArray<[ConferenceProvider, RegExp]> = [
  // meetup-join is the classic link, /meet/<id> the short one; teams.microsoft.us for GCC High/DoD.
  ['teams', /^https?:\/\/(?:(?:gov|dod)\.)?teams\.(?:microsoft\.com|microsoft\.us|live\.com)\/(?:l\/meetup-join|meet)\//i],
  // /j/ meeting, /my/ personal room, /w/ webinar. Not /s/: that is the host's start link.
  ['zoom', /^https?:\/\/(?:[a-z0-9-]+\.)*zoom(?:gov)?\.us\/(?:j|my|w)\//i],
  ['google-meet', /^https?:\/\/meet\.google\.com\/[a-z]{3}-[a-z]{4}-[a-z]{3}(?:[/?#]|$)/i],
  // Personal rooms (/meet/), joins (/join/, j.php?MTID=), and the join service; not help pages.
  ['webex', /^https?:\/\/(?:[a-z0-9-]+\.)*webex\.com\/(?:meet\/|join\/|[a-z0-9-]+\/j\.php|wbxmjs\/joinservice\/)/i],
];

const HTTP_URL = /^https?:\/\/\S+$/i;
// One character class, one quantifier: linear, no backtracking blow-up on hostile text. Angle
// brackets end a URL (Outlook writes `text<https://…>`), as do quotes and brackets (HTML, prose).
const URL_IN_TEXT = /https?:\/\/[^\s<>"'()[\]{}\\|^`]+/gi;
/** DESCRIPTION may be megabytes; real join links sit in the first screenful. */
export const MAX_TEXT_SCANNED = 64 * 1024;
const MAX_URLS_SCANNED = 200;

/** The join link by the precedence above, or undefined when the event has none. */
export function findOnlineMeeting(vevent: IcalComponent): OnlineMeeting | undefined {
  return conferenceProperty(vevent) ?? vendorProperty(vevent) ?? textLink(vevent, 'LOCATION') ?? textLink(vevent, 'DESCRIPTION');
}

function conferenceProperty(vevent: IcalComponent): OnlineMeeting | undefined {
  const candidates = vevent
    .getAllProperties('conference')
    .map((prop, order) => ({ prop, order, url: httpUrl(rawValue(prop)) }))
    .filter((c): c is { prop: IcalProperty; order: number; url: string } => c.url !== undefined)
    .sort((a, b) => featureRank(b.prop) - featureRank(a.prop) || a.order - b.order);
  const best = candidates[0];
  if (!best) return undefined;
  return { url: best.url, provider: providerOf(best.url) ?? 'conference', source: 'CONFERENCE', label: paramText(best.prop, 'label').trim() };
}

/** RFC 7986 §6.3 FEATURE: video over audio over anything else; the moderator's access last. */
function featureRank(prop: IcalProperty): number {
  const features = paramText(prop, 'feature').toUpperCase().split(',').map((f) => f.trim());
  const media = features.includes('VIDEO') ? 2 : features.includes('AUDIO') ? 1 : 0;
  return (features.includes('MODERATOR') ? 0 : 3) + media;
}

/** Vendor properties in precedence order, with the provider their vendor implies. */
const VENDOR_PROPERTIES: ReadonlyArray<[ConferenceSource, ConferenceProvider]> = [
  ['X-MICROSOFT-SKYPETEAMSMEETINGURL', 'teams'],
  ['X-MICROSOFT-ONLINEMEETINGEXTERNALLINK', 'conference'],
  ['X-MICROSOFT-ONLINEMEETINGCONFLINK', 'conference'],
  ['X-GOOGLE-CONFERENCE', 'google-meet'],
];

function vendorProperty(vevent: IcalComponent): OnlineMeeting | undefined {
  for (const [source, implied] of VENDOR_PROPERTIES) {
    const url = httpUrl(textValue(vevent, source.toLowerCase()));
    if (url) return { url, provider: providerOf(url) ?? implied, source, label: '' };
  }
  return undefined;
}

function textLink(vevent: IcalComponent, source: 'LOCATION' | 'DESCRIPTION'): OnlineMeeting | undefined {
  const found = firstJoinLinkIn(textValue(vevent, source.toLowerCase()));
  return found && { ...found, source, label: '' };
}

/** The first recognised join link in free text, scanning at most MAX_TEXT_SCANNED characters. */
export function firstJoinLinkIn(text: string): { url: string; provider: ConferenceProvider } | undefined {
  const window = text.slice(0, MAX_TEXT_SCANNED);
  let scanned = 0;
  for (const match of window.matchAll(URL_IN_TEXT)) {
    // A link cut by the scan window would be a wrong link: stop rather than return half of it.
    if (window.length < text.length && match.index + match[0].length === window.length) break;
    // Sentence punctuation after a link is not part of it; HTML descriptions escape & as &amp;.
    const url = match[0].replace(/[.,;:!?*]+$/, '').replace(/&amp;/gi, '&');
    const provider = providerOf(url);
    if (provider) return { url, provider };
    if (++scanned >= MAX_URLS_SCANNED) break;
  }
  return undefined;
}

function httpUrl(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const url = value.trim().replace(/^<(.*)>$/, '$1');
  return HTTP_URL.test(url) ? url : undefined;
}

function providerOf(url: string): ConferenceProvider | undefined {
  return PROVIDERS.find(([, pattern]) => pattern.test(url))?.[0];
}
