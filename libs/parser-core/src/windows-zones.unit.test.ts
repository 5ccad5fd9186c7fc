import { WINDOWS_TO_IANA_MAP } from 'windows-iana';
import { EXCHANGE_OFFSET_PAIRS, WINDOWS_DISPLAY_NAMES } from './windows-display-names';
import { windowsZoneMatch, windowsZoneToIana } from './windows-zones';

// Every kind of zone name Outlook and Exchange write as a TZID (issue 13, point 5), mapped to
// the IANA zone CLDR's windowsZones gives the Windows zone (territory 001).
describe('Windows zone names → IANA', () => {
  test.each([
    // Windows zone ids (Outlook 2007 and later, Exchange 2007 and later)
    ['W. Europe Standard Time', 'Europe/Berlin', 'windows id'],
    ['Romance Standard Time', 'Europe/Paris', 'windows id'],
    ['Eastern Standard Time', 'America/New_York', 'windows id'],
    ['Pacific Standard Time', 'America/Los_Angeles', 'windows id'],
    ['AUS Eastern Standard Time', 'Australia/Sydney', 'windows id'],
    ['Tokyo Standard Time', 'Asia/Tokyo', 'windows id'],
    ['India Standard Time', 'Asia/Calcutta', 'windows id'],
    ['  gmt standard time  ', 'Europe/London', 'windows id'],
    ['FLE', 'Europe/Kiev', 'windows id'], // Lotus Notes: the id without " Standard Time"
    ['UTC', 'Etc/UTC', 'windows id'],
    ['Eastern', 'America/New_York', 'windows id'], // the same short form: "Eastern Standard Time"
    // Display names with the "(UTC±hh:mm)" prefix (Outlook 2010+ without a VTIMEZONE)
    ['(UTC+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna', 'Europe/Berlin', 'display name'],
    ['(UTC+01:00) Brussels, Copenhagen, Madrid, Paris', 'Europe/Paris', 'display name'],
    ['(UTC+01:00) Belgrade, Bratislava, Budapest, Ljubljana, Prague', 'Europe/Budapest', 'display name'],
    ['(UTC+02:00) Helsinki, Kyiv, Riga, Sofia, Tallinn, Vilnius', 'Europe/Kiev', 'display name'],
    ['(UTC-08:00) Pacific Time (US & Canada)', 'America/Los_Angeles', 'display name'],
    ['(UTC-05:00) Eastern Time (US & Canada)', 'America/New_York', 'display name'],
    ['(UTC+00:00) Dublin, Edinburgh, Lisbon, London', 'Europe/London', 'display name'],
    ['(UTC) Coordinated Universal Time', 'Etc/UTC', 'display name'],
    ['(UTC+05:30) Chennai, Kolkata, Mumbai, New Delhi', 'Asia/Calcutta', 'display name'],
    ['(UTC-04:30) Caracas', 'America/Caracas', 'display name'], // an offset the zone has since left
    // … without the prefix
    ['Pacific Time (US & Canada)', 'America/Los_Angeles', 'display name'],
    ['Canberra, Melbourne, Sydney', 'Australia/Sydney', 'display name'],
    ['Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna', 'Europe/Berlin', 'display name'],
    // … with extra cities appended, quoted or not, other separators and spacing
    ['Pacific Time (US & Canada), Tijuana', 'America/Los_Angeles', 'display name'],
    ['"(UTC+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna, Oslo"', 'Europe/Berlin', 'display name'],
    ['(UTC-05:00) Eastern Time (US & Canada), New York', 'America/New_York', 'display name'],
    ['(UTC+01:00)  brussels,copenhagen ,  madrid, paris', 'Europe/Paris', 'display name'],
    // Old Outlook / Exchange 5.5–2003 names
    ['(GMT-08:00) Pacific Time (US & Canada); Tijuana', 'America/Los_Angeles', 'display name'],
    ['(GMT+01.00) Amsterdam / Berlin / Bern / Rome / Stockholm / Vienna', 'Europe/Berlin', 'display name'],
    ['(GMT) Greenwich Mean Time : Dublin, Edinburgh, Lisbon, London', 'Europe/London', 'display name'],
    ['(GMT+02:00) Athens, Beirut, Istanbul, Minsk', 'Europe/Bucharest', 'display name'],
    ['(GMT+10:00) Canberra, Melbourne, Sydney', 'Australia/Sydney', 'display name'],
    ['GMT +0100 (Standard) / GMT +0200 (Daylight)', 'Europe/Berlin', 'Exchange offsets'],
    ['GMT -0500 (Standard) / GMT -0400 (Daylight)', 'America/New_York', 'Exchange offsets'],
    ['GMT +1000 (Standard) / GMT +1100 (Daylight)', 'Australia/Sydney', 'Exchange offsets'],
    ['GMT +0530 (Standard)', undefined, undefined], // one offset but not whole hours: no Etc zone
    ['GMT +0300 (Standard)', 'Etc/GMT-3', 'Exchange offsets'], // no daylight part: exactly +03:00
    // A display name the table lacks: a city, checked against the stated offset
    ['(UTC+01:00) Oslo, Copenhagen', 'Europe/Oslo', 'city in display name'],
  ])('When the TZID is %j, then it maps to %s', (tzid, iana, by) => {
    expect(windowsZoneMatch(tzid)).toEqual(iana ? { iana, by } : undefined);
  });

  test.each([
    'Customized Time Zone', // Outlook's name for a zone it describes only in the VTIMEZONE
    'Mitteleuropäische Zeit', // a localised name: no table of those exists
    '(UTC+05:00) Amsterdam', // the stated offset is not Amsterdam's
    '(UTC+09:00) Santiago, Paris', // a known name with more after it, but the offset disagrees
    'GMT +0400 (Standard) / GMT +0500 (Daylight)', // a pair whose transition days are unknown
  ])('When the TZID is %j, then nothing is guessed', (tzid) => {
    expect(windowsZoneToIana(tzid)).toBeUndefined();
  });
});

describe('the display-name and offset tables', () => {
  const cldrIds = new Set<string>(WINDOWS_TO_IANA_MAP.filter((entry) => entry.territory === '001').map((entry) => entry.windowsName));

  test('Then every Windows id in them is one CLDR windowsZones maps (a renamed id fails here, not in a message)', () => {
    const ids = [...WINDOWS_DISPLAY_NAMES.map(([id]) => id), ...EXCHANGE_OFFSET_PAIRS.values()];
    expect(ids.filter((id) => !cldrIds.has(id))).toEqual([]);
  });

  test('Then no display text stands for two different zones', () => {
    const owners = new Map<string, Set<string>>();
    for (const [id, ...texts] of WINDOWS_DISPLAY_NAMES) for (const text of texts) owners.set(text.toLowerCase(), (owners.get(text.toLowerCase()) ?? new Set()).add(id));
    expect([...owners].filter(([, ids]) => ids.size > 1)).toEqual([]);
  });

  test('Then every Windows id CLDR knows has at least one display name', () => {
    const named = new Set(WINDOWS_DISPLAY_NAMES.map(([id]) => id));
    expect([...cldrIds].filter((id) => !named.has(id))).toEqual([]);
  });
});
