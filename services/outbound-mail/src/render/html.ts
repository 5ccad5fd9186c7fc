// Escaping for the HTML part: every piece of text (names, summaries, descriptions, translations)
// is escaped where it is put into markup, attributes included; links must be http(s).

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => ENTITIES[c]!);

/** Text with its line breaks kept. */
export const htmlLines = (text: string): string => escapeHtml(text).replace(/\r?\n/g, '<br>\n');

/** An anchor, only for http(s) URLs (a javascript: or data: link never reaches a mail client); else the escaped text. */
export function htmlLink(url: string, label: string): string {
  return /^https?:\/\//i.test(url) ? `<a href="${escapeHtml(url)}">${escapeHtml(label)}</a>` : escapeHtml(label);
}
