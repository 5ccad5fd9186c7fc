// The pages of the RSVP endpoint: plain HTML, no script, every value escaped (the summary, the
// addresses and the token all come from outside). Pure.
import type { ClickOutcome } from './rsvp.click';
import type { RsvpClaims } from './rsvp.token';

export interface Page {
  status: number;
  html: string;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** HTML-escapes text for element content and double- or single-quoted attributes. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

const VERB: Record<RsvpClaims['partstat'], { ask: string; done: string }> = {
  ACCEPTED: { ask: 'Accept', done: 'accepted' },
  TENTATIVE: { ask: 'Answer “maybe” to', done: 'tentatively accepted' },
  DECLINED: { ask: 'Decline', done: 'declined' },
};

function meeting(summary: string, claims: RsvpClaims, start?: Date): string {
  const title = summary ? `“${escapeHtml(summary)}”` : 'the meeting';
  const when = start ? ` on ${escapeHtml(start.toISOString().replace('T', ' ').slice(0, 16))} UTC` : '';
  return `${title}${when} organised by ${escapeHtml(claims.organizer)}`;
}

const capital = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

function layout(title: string, body: string): string {
  return [
    '<!doctype html>', '<html lang="en"><head><meta charset="utf-8">', '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="robots" content="noindex, nofollow">', `<title>${escapeHtml(title)}</title>`,
    '<style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem;line-height:1.5}button{font-size:1rem;padding:.5rem 1.25rem}</style>',
    `</head><body><h1>${escapeHtml(title)}</h1>${body}</body></html>`,
  ].join('\n');
}

/** The page for an outcome; `action` is the path the confirmation form posts to (the same link). */
export function pageOf(outcome: ClickOutcome, action: string): Page {
  switch (outcome.kind) {
    case 'confirm': {
      const { claims } = outcome;
      const body = `<p>${VERB[claims.partstat].ask} ${meeting(outcome.summary, claims, outcome.start)} as <strong>${escapeHtml(claims.attendee)}</strong>?</p>`
        + `<form method="post" action="${escapeHtml(action)}"><button type="submit">${escapeHtml(VERB[claims.partstat].ask.split(' ')[0]!)}</button></form>`
        + '<p>Nothing is sent until you press the button.</p>';
      return { status: 200, html: layout('Confirm your answer', body) };
    }
    case 'applied': {
      const note = outcome.checked ? '' : '<p>If the meeting has changed since this invitation, the organizer will send a new one.</p>';
      return { status: 200, html: layout('Thank you', `<p>You have ${VERB[outcome.claims.partstat].done} ${meeting(outcome.summary, outcome.claims)}. The organizer has your answer.</p>${note}`) };
    }
    case 'already':
      return { status: 200, html: layout('Already answered', `<p>You have already ${VERB[outcome.claims.partstat].done} ${meeting(outcome.summary, outcome.claims)}. Nothing was changed.</p>`) };
    case 'malformed':
      return { status: 400, html: layout('Incomplete link', '<p>This link is incomplete or damaged. Nothing was changed. Copy the whole link from the invitation, or answer from your calendar.</p>') };
    case 'forged':
      return { status: 403, html: layout('Invalid link', '<p>This link is not valid: it was changed or was not issued by us. Nothing was changed.</p>') };
    case 'expired':
      return { status: 410, html: layout('Link expired', '<p>This link has expired. Nothing was changed; answer from your calendar, or ask the organizer for a new invitation.</p>') };
    case 'outdated':
      return { status: 409, html: layout('Invitation updated', `<p>${capital(meeting(outcome.summary, outcome.claims))} has changed since this invitation was sent. Nothing was changed; please answer with the links in the latest invitation.</p>`) };
    case 'cancelled':
      return { status: 410, html: layout('Meeting cancelled', `<p>${capital(meeting(outcome.summary, outcome.claims))} has been cancelled. Nothing was changed.</p>`) };
    case 'not-invited':
      return { status: 403, html: layout('Not invited', `<p>${escapeHtml(outcome.claims.attendee)} is no longer invited to ${meeting(outcome.summary, outcome.claims)}. Nothing was changed.</p>`) };
    case 'unknown':
      return { status: 404, html: layout('Meeting not found', '<p>This meeting is not known (any more). Nothing was changed.</p>') };
    case 'unavailable':
      return { status: 503, html: layout('Try again', '<p>Your answer could not be recorded just now. Please try again in a minute.</p>') };
    default:
      return outcome satisfies never;
  }
}
