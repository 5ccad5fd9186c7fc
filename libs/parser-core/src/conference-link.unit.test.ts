import { TEST_CONTEXT, vcalendar, vevent } from '@inviteflow/testing';
import { parseCalendarText } from './calendar-parser';
import { firstJoinLinkIn, MAX_TEXT_SCANNED } from './conference-link';

// The join link (issue 13, point 6): which property wins, and what free text may yield.
const TEAMS = 'https://teams.microsoft.com/l/meetup-join/19%3ameeting_abc%40thread.v2/0?context=%7b%22Tid%22%7d';
const MEET = 'https://meet.google.com/abc-defg-hij';
const ZOOM = 'https://us02web.zoom.us/j/81234567890?pwd=xyz';

function joinLink(...lines: string[]): Record<string, string> {
  const outcome = parseCalendarText(vcalendar('REQUEST', ...vevent('UID:c', 'DTSTAMP:20240101T000000Z', 'DTSTART:20240112T100000Z', ...lines)), TEST_CONTEXT);
  if (outcome.kind !== 'parsed') throw new Error(`${outcome.reasonCode}: ${outcome.detail}`);
  const { onlineMeetingUrl: url, onlineMeetingProvider: provider, onlineMeetingSource: source, onlineMeetingLabel: label } = outcome.invites[0]!.events[0]!;
  return { url, provider, source, label };
}

describe('the join link: which source wins', () => {
  test('When CONFERENCE, the Teams property, X-GOOGLE-CONFERENCE and text links are all present, then CONFERENCE wins', () => {
    expect(joinLink(
      `DESCRIPTION:Join ${ZOOM}`, `LOCATION:${MEET}`, `X-GOOGLE-CONFERENCE:${MEET}`, `X-MICROSOFT-SKYPETEAMSMEETINGURL:${TEAMS}`,
      'CONFERENCE;VALUE=URI;FEATURE=VIDEO;LABEL=Join video call:https://video.example.net/room/7',
    )).toEqual({ url: 'https://video.example.net/room/7', provider: 'conference', source: 'CONFERENCE', label: 'Join video call' });
  });

  test('When several CONFERENCE entries are given, then an http(s) VIDEO one beats AUDIO, a phone number and the moderator link', () => {
    expect(joinLink(
      'CONFERENCE;VALUE=URI;FEATURE=PHONE,MODERATOR;LABEL=Moderator dial-in:tel:+1-412-555-0123,,,654321',
      'CONFERENCE;VALUE=URI;FEATURE=AUDIO:https://audio.example.net/1',
      'CONFERENCE;VALUE=URI;FEATURE=VIDEO,MODERATOR:https://video.example.net/host',
      'CONFERENCE;VALUE=URI;FEATURE=AUDIO,VIDEO;LABEL=Join:https://us02web.zoom.us/j/1',
    )).toEqual({ url: 'https://us02web.zoom.us/j/1', provider: 'zoom', source: 'CONFERENCE', label: 'Join' });
  });

  test('When CONFERENCE holds only tel: and sip: URIs, then the vendor property is used', () => {
    expect(joinLink('CONFERENCE;VALUE=URI;FEATURE=PHONE:tel:+1-555-0100', 'CONFERENCE;VALUE=URI:sip:room@example.net', `X-MICROSOFT-SKYPETEAMSMEETINGURL:${TEAMS}`))
      .toEqual({ url: TEAMS, provider: 'teams', source: 'X-MICROSOFT-SKYPETEAMSMEETINGURL', label: '' });
  });

  test('When X-MICROSOFT-ONLINEMEETINGCONFLINK is a conf:sip: URI (as Teams writes it), then it is not taken', () => {
    expect(joinLink('X-MICROSOFT-ONLINEMEETINGCONFLINK:conf:sip:marge@example.com\\;gruu\\;opaque=app:conf:focus:id:teams:2:0', 'DESCRIPTION:no link here'))
      .toEqual({ url: '', provider: '', source: '', label: '' });
  });

  test('When X-MICROSOFT-ONLINEMEETINGEXTERNALLINK holds an https URL, then it is taken, with the provider from its host', () => {
    expect(joinLink('X-MICROSOFT-ONLINEMEETINGEXTERNALLINK:https://meet.lync.com/contoso/marge/ABC123', `DESCRIPTION:${TEAMS}`))
      .toEqual({ url: 'https://meet.lync.com/contoso/marge/ABC123', provider: 'conference', source: 'X-MICROSOFT-ONLINEMEETINGEXTERNALLINK', label: '' });
  });

  test('When only X-GOOGLE-CONFERENCE names the meeting, then it is taken as Google Meet', () => {
    expect(joinLink(`X-GOOGLE-CONFERENCE:${MEET}`, 'DESCRIPTION:Join with Google Meet')).toEqual({ url: MEET, provider: 'google-meet', source: 'X-GOOGLE-CONFERENCE', label: '' });
  });

  test('When LOCATION and DESCRIPTION both hold join links, then LOCATION wins', () => {
    expect(joinLink(`DESCRIPTION:${TEAMS}`, `LOCATION:Zoom: ${ZOOM}`)).toEqual({ url: ZOOM, provider: 'zoom', source: 'LOCATION', label: '' });
  });

  test('When the Teams property holds a non-http value, then the DESCRIPTION link is used', () => {
    expect(joinLink('X-MICROSOFT-SKYPETEAMSMEETINGURL:msteams:/l/meetup-join/x', `DESCRIPTION:Click here<${TEAMS}>`))
      .toEqual({ url: TEAMS, provider: 'teams', source: 'DESCRIPTION', label: '' });
  });
});

describe('the join link in free text', () => {
  test.each([
    ['Outlook angle brackets', `Click here<${TEAMS}>\nLearn more<https://aka.ms/JoinTeamsMeeting>`, TEAMS, 'teams'],
    ['the short Teams link', 'Join: https://teams.microsoft.com/meet/2345678901?p=abcDEF', 'https://teams.microsoft.com/meet/2345678901?p=abcDEF', 'teams'],
    ['Teams for personal use', 'https://teams.live.com/meet/9876543210', 'https://teams.live.com/meet/9876543210', 'teams'],
    ['trailing sentence punctuation', `Join at ${ZOOM}.`, ZOOM, 'zoom'],
    ['a Zoom personal room over http', 'http://example.zoom.us/my/marge!', 'http://example.zoom.us/my/marge', 'zoom'],
    ['an HTML href with &amp;', '<a href="https://zoom.us/j/123?pwd=a&amp;uname=b">Join</a>', 'https://zoom.us/j/123?pwd=a&uname=b', 'zoom'],
    ['Meet with a query', `Join: ${MEET}?hs=224`, `${MEET}?hs=224`, 'google-meet'],
    ['a Webex j.php link', 'Join: https://acme.webex.com/acme/j.php?MTID=m0123456789abcdef', 'https://acme.webex.com/acme/j.php?MTID=m0123456789abcdef', 'webex'],
    ['a Webex personal room', '(https://acme.webex.com/meet/marge)', 'https://acme.webex.com/meet/marge', 'webex'],
  ])('When the text has %s, then the link is found, cleaned', (_name, text, url, provider) => {
    expect(firstJoinLinkIn(text)).toEqual({ url, provider });
  });

  test.each([
    ['Teams meeting options', 'https://teams.microsoft.com/meetingOptions/?organizerId=1'],
    ['the Zoom host start link', 'https://us02web.zoom.us/s/81234567890?zak=secret'],
    ['a Webex help page', 'https://help.webex.com/en-us/article/nxk8n3e'],
    ['a Meet landing page', 'https://meet.google.com/landing'],
    ['an ftp link', 'ftp://meet.google.com/abc-defg-hij'],
    ['a look-alike host', 'https://zoom.us.evil.example/j/1 https://notteams.microsoft.com.example/l/meetup-join/x'],
  ])('When the text has only %s, then no join link is found', (_name, text) => {
    expect(firstJoinLinkIn(text)).toBeUndefined();
  });

  test('When the only link lies beyond the scan window, then it is not found, and one cut by the window is not returned', () => {
    const filler = 'x'.repeat(MAX_TEXT_SCANNED);
    expect(firstJoinLinkIn(`${filler} ${ZOOM}`)).toBeUndefined();
    expect(firstJoinLinkIn(`${'x'.repeat(MAX_TEXT_SCANNED - 25)} ${ZOOM}`)).toBeUndefined();
    expect(firstJoinLinkIn(`${'x'.repeat(1000)} ${ZOOM}`)).toEqual({ url: ZOOM, provider: 'zoom' });
  });

  test('When a hostile description is megabytes of near-URLs, then the scan ends with no link', () => {
    expect(firstJoinLinkIn('https://a '.repeat(400_000))).toBeUndefined();
    expect(firstJoinLinkIn('http'.repeat(1_000_000))).toBeUndefined();
  });
});
