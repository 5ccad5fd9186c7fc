// The subject, text/plain and text/html parts (issue 11 §3), from the language's ICU MessageFormat
// catalogue (intl-messageformat): every sentence, date and time is formatted by the library in the
// reader's language and zone, and the zone is named in the text.
import { IntlMessageFormat, type PrimitiveType } from 'intl-messageformat';
import { CATALOGS, type Language } from './locale';
import type { MessageKey } from './messages/catalog';
import { escapeHtml, htmlLines, htmlLink } from './html';
import type { MailView } from './mail-view';
import { zoneDisplayName } from './zone';

export interface MailBody {
  subject: string;
  text: string;
  html: string;
}

type Values = Record<string, PrimitiveType | Date>;

// Compiled messages by language, zone and key: the zone is part of the date formats.
const compiled = new Map<string, IntlMessageFormat>();
const CACHE_LIMIT = 4096;

function formatsFor(zone: string): ConstructorParameters<typeof IntlMessageFormat>[2] {
  return {
    date: { day: { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: zone } },
    time: { clock: { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: zone } },
  };
}

function message(language: Language, zone: string, key: MessageKey): IntlMessageFormat {
  const id = `${language}|${zone}|${key}`;
  let m = compiled.get(id);
  if (!m) {
    if (compiled.size >= CACHE_LIMIT) compiled.clear();
    m = new IntlMessageFormat(CATALOGS[language][key], language, formatsFor(zone));
    compiled.set(id, m);
  }
  return m;
}

/** A translator bound to one mail: language, zone and the values every message may use. */
function translator(view: MailView): (key: MessageKey, extra?: Values) => string {
  // All-day dates are calendar dates (midnight UTC here), never moved into a zone.
  const zone = view.allDay ? 'UTC' : view.zone;
  const base: Values = {
    summary: view.summary, organizer: view.organizer, attendee: view.attendee, partstat: view.partstat || 'other',
    instance: view.instance ? 'yes' : 'no', zoneId: view.zone,
    zoneName: zoneDisplayName(view.zone, view.language, view.start ?? new Date(0)),
  };
  return (key, extra = {}) => String(message(view.language, zone, key).format({ ...base, ...extra }));
}

function whenText(view: MailView, t: ReturnType<typeof translator>): string {
  if (!view.start) return '';
  const end = view.end ?? view.start;
  if (view.allDay) {
    // DTEND of an all-day event is exclusive (RFC 5545 §3.6.1): the last day is the one before.
    const last = new Date(Math.max(view.start.getTime(), end.getTime() - 86_400_000));
    return last.getTime() === view.start.getTime() ? t('when.allDay', { start: view.start }) : t('when.allDaySpan', { start: view.start, end: last });
  }
  const day = (d: Date): string => new Intl.DateTimeFormat('en-CA', { timeZone: view.zone }).format(d);
  return t(day(view.start) === day(end) ? 'when.timed' : 'when.timedSpan', { start: view.start, end });
}

interface Section {
  intro: string;
  rows: [label: string, value: string, href?: string][];
  zone: string;
  rsvp: { prompt: string; links: [label: string, href: string][] } | undefined;
  description: string;
  footer: string;
}

function sections(view: MailView): { subject: string; section: Section } {
  const t = translator(view);
  const when = whenText(view, t);
  const rows: Section['rows'] = [];
  if (when) rows.push([t(view.kind === 'counter' ? 'label.proposed' : 'label.when'), when]);
  if (view.location) rows.push([t('label.where'), view.location]);
  if (view.conferenceUrl) rows.push([t('label.join'), view.conferenceUrl, view.conferenceUrl]);
  rows.push([t('label.organizer'), view.organizer]);
  for (const c of view.comment) rows.push([t('label.comment'), c]);
  const rsvp = view.rsvp && {
    prompt: t('rsvp.prompt'),
    links: [[t('rsvp.accept'), view.rsvp.accept], [t('rsvp.tentative'), view.rsvp.tentative], [t('rsvp.decline'), view.rsvp.decline]] as [string, string][],
  };
  const section: Section = {
    intro: t(`intro.${view.kind}`), rows, zone: when && !view.allDay ? t('zone') : '', rsvp, description: view.description, footer: t('footer'),
  };
  // A header is one line: a summary with line breaks must not break it.
  return { subject: t(`subject.${view.kind}`).replace(/\s+/g, ' ').trim(), section };
}

function textPart(s: Section): string {
  const blocks = [
    s.intro,
    s.rows.map(([label, value]) => `${label}: ${value}`).join('\n'),
    s.zone,
    s.rsvp ? [s.rsvp.prompt, ...s.rsvp.links.map(([label, href]) => `${label}: ${href}`)].join('\n') : '',
    s.description,
    s.footer,
  ];
  return `${blocks.filter(Boolean).join('\n\n')}\n`;
}

function htmlPart(subject: string, language: Language, s: Section): string {
  const rows = s.rows.map(([label, value, href]) =>
    `<tr><th align="left" valign="top" style="padding:2px 12px 2px 0">${escapeHtml(label)}</th><td>${href ? htmlLink(href, value) : htmlLines(value)}</td></tr>`);
  const rsvp = s.rsvp ? [`<p>${escapeHtml(s.rsvp.prompt)}</p>`, `<p>${s.rsvp.links.map(([label, href]) => htmlLink(href, label)).join(' &middot; ')}</p>`] : [];
  return [
    '<!DOCTYPE html>', `<html lang="${language}"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>`,
    '<body style="font-family:Arial,Helvetica,sans-serif;font-size:14px">',
    `<p>${escapeHtml(s.intro)}</p>`, `<table role="presentation" cellspacing="0" cellpadding="0">${rows.join('')}</table>`,
    ...(s.zone ? [`<p>${escapeHtml(s.zone)}</p>`] : []), ...rsvp,
    ...(s.description ? [`<p>${htmlLines(s.description)}</p>`] : []),
    `<p style="color:#666666">${escapeHtml(s.footer)}</p>`, '</body></html>', '',
  ].join('\n');
}

export function renderBody(view: MailView): MailBody {
  const { subject, section } = sections(view);
  return { subject, text: textPart(section), html: htmlPart(subject, view.language, section) };
}
