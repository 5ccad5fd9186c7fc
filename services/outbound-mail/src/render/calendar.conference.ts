// The join link, where each client looks for it: RFC 7986 CONFERENCE (Apple, Thunderbird, newer
// servers), X-MICROSOFT-SKYPETEAMSMEETINGURL (Outlook for a Teams link), and LOCATION /
// DESCRIPTION for the rest (Gmail shows a LOCATION URL as a link; Outlook shows DESCRIPTION).

export function conferenceProperties(url: string, provider: string, label: string): [string, string][] {
  // A URI value is written as is (RFC 5545 §3.3.13), but ical-generator TEXT-escapes what it is
  // given: a URL holding ; , or \ would come out changed, so it goes only into LOCATION and
  // DESCRIPTION (TEXT, where the escaping is right). Join links in practice hold none of them.
  if (!/^https?:\/\/[^;,\\\s]+$/i.test(url)) return [];
  // LABEL is a quoted parameter value (RFC 5545 §3.2): no DQUOTE or control characters inside.
  const labelParam = label ? `;LABEL="${label.replace(/["\p{Cc}]/gu, '')}"` : '';
  const teams = provider === 'teams' ? [['X-MICROSOFT-SKYPETEAMSMEETINGURL', url] as [string, string]] : [];
  return [[`CONFERENCE;VALUE=URI;FEATURE=VIDEO${labelParam}`, url], ...teams];
}

/** DESCRIPTION with the join link on its own line when the description does not already hold it. */
export function conferenceText(description: string, url: string): string {
  if (!url || description.includes(url)) return description;
  return description ? `${description}\n\n${url}` : url;
}
