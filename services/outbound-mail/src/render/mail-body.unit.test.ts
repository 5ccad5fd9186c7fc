import { IntlMessageFormat } from 'intl-messageformat';
import { simpleParser } from 'mailparser';
import { renderOutboundMail } from './render-mail';
import { command, GUEST, master, OPTIONS } from './render.fixture';
import { CATALOGS, pickLanguage } from './locale';
import { MESSAGE_KEYS } from './messages/catalog';

describe('templates: language and zone', () => {
  test.each([
    ['nb-NO', 'nb'], ['no', 'nb'], ['nn_NO', 'nb'], ['sv-SE', 'sv'], ['sv-FI', 'sv'], ['da-DK', 'da'], ['de-AT', 'de'], ['DE', 'de'],
    ['nl-BE', 'nl'], ['en-GB', 'en'], ['fr-FR', 'en'], ['', 'en'], ['x-klingon', 'en'],
  ])('When the recipient locale is "%s", then the %s templates are used', (locale, language) => {
    expect(pickLanguage(locale)).toBe(language);
  });

  test.each(Object.keys(CATALOGS))('When the %s catalogue is loaded, then it has every message and each one compiles', (language) => {
    const catalog = CATALOGS[language as keyof typeof CATALOGS];
    expect(Object.keys(catalog).sort()).toEqual([...MESSAGE_KEYS].sort());
    for (const key of MESSAGE_KEYS) expect(() => new IntlMessageFormat(catalog[key], language)).not.toThrow();
  });

  // 08:00Z on 10 March 2026 is 04:00 in New York (EDT since 8 March).
  test.each([
    ['en-US', 'Invitation: Daily sync', 'Tuesday, March 10, 2026, 04:00–05:00', 'Times are in Eastern Time (America/New_York).'],
    ['nb-NO', 'Invitasjon: Daily sync', 'tirsdag 10. mars 2026 kl. 04:00–05:00', '(America/New_York)'],
    ['sv-SE', 'Inbjudan: Daily sync', 'tisdag 10 mars 2026 kl. 04:00–05:00', '(America/New_York)'],
    ['da-DK', 'Invitation: Daily sync', 'tirsdag den 10. marts 2026 kl. 04.00–05.00', 'Eastern-tid (America/New_York)'],
    ['de-DE', 'Einladung: Daily sync', 'Dienstag, 10. März 2026, 04:00–05:00 Uhr', 'Zeitangaben in Nordamerikanische Ostküstenzeit (America/New_York).'],
    ['nl-NL', 'Uitnodiging: Daily sync', 'dinsdag 10 maart 2026, 04:00–05:00', '(America/New_York)'],
  ])('When a %s recipient in New York is invited, then subject, date and time are in their language and zone, and the zone is named', async (locale, subject, when, zone) => {
    // Act
    const mail = await renderOutboundMail(command({ recipientLocale: locale, recipientTimeZone: 'America/New_York', reason: 'NEW', events: [master({ summary: 'Daily sync', rrule: [], exdate: [] })] }), GUEST.address, OPTIONS);
    const plain = (await simpleParser(mail.raw)).text ?? '';
    // Assert
    expect([mail.subject, mail.locale]).toEqual([subject, pickLanguage(locale)]);
    expect(plain).toContain(when);
    expect(plain).toContain(zone);
  });

  test('When the recipient zone is unknown, then times are in the organizer zone, named', async () => {
    // Act
    const mail = await renderOutboundMail(command({ recipientTimeZone: 'Mars/Olympus_Mons' }), GUEST.address, OPTIONS);
    const text = (await simpleParser(mail.raw)).text ?? '';
    // Assert
    expect(text).toContain('Tuesday, March 10, 2026, 09:00–10:00');
    expect(text).toContain('(Europe/Oslo)');
  });

  test('When the meeting is all day, then the text gives dates (the last day inclusive) and names no zone', async () => {
    // Act
    const allDay = master({ allDay: true, timeZone: '', start: new Date('2026-04-01T00:00:00Z'), end: new Date('2026-04-03T00:00:00Z'), rrule: [], exdate: [] });
    const text = (await simpleParser((await renderOutboundMail(command({ events: [allDay], recipientTimeZone: 'Pacific/Auckland' }), GUEST.address, OPTIONS)).raw)).text ?? '';
    // Assert
    expect(text).toContain('When: Wednesday, April 1, 2026 – Thursday, April 2, 2026 (all day)');
    expect(text).not.toContain('Times are in');
  });

  test.each([
    ['CANCEL', 'MEETING_CANCELLED', 'Cancelled: Bakery <tasting> & plans', 'has cancelled “Bakery'],
    ['CANCEL', 'ATTENDEE_REMOVED', 'Cancelled: Bakery <tasting> & plans', 'has removed you from'],
    ['REQUEST', 'REFRESH_REQUESTED', 'Invitation (current version): Bakery <tasting> & plans', 'current version of'],
    ['DECLINECOUNTER', 'COUNTER_DECLINED', 'Proposal declined: Bakery <tasting> & plans', 'declined your proposed new time'],
    ['ADD', '', 'New date added: Bakery <tasting> & plans', 'has added a date'],
  ])('When a %s (%s) is rendered, then its own template is used', async (method, reason, subject, intro) => {
    // Act
    const mail = await renderOutboundMail(command({ method, reason }), GUEST.address, OPTIONS);
    const text = (await simpleParser(mail.raw)).text ?? '';
    // Assert
    expect(mail.subject).toBe(subject);
    expect(text).toContain(intro);
  });
});
