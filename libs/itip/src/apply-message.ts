// The inbound half of the broker (sabre/vobject's processMessage, with ordering): the stored copy
// (or none), one normalised iTIP message, the context → the next copy, decisions, outbound.
import { assertNever } from '@inviteflow/contracts';
import type { eventsV1 } from '@inviteflow/proto-gen';
import { applyCancel } from './apply-cancel';
import { applyAdd, applyCounter, applyDeclineCounter, applyRefresh } from './apply-other';
import { applyReply } from './apply-reply';
import { applyRequest } from './apply-request';
import type { ApplyContext } from './context';
import { decision, ITIP_METHODS, type ApplyResult, type ItipMethodName } from './decision';
import type { Meeting } from './meeting.model';

export function applyMessage(stored: Meeting | undefined, invite: eventsV1.InviteParsed, ctx: ApplyContext): ApplyResult {
  const method = invite.method.toUpperCase();
  if (!isMethod(method)) return { next: stored, changed: false, decisions: [decision('IGNORED', 'UNKNOWN_METHOD', `METHOD ${invite.method} is not an iTIP method (RFC 5546 §1.4)`)], outbound: [] };
  if (stored && stored.uid !== invite.uid) throw new TypeError(`applyMessage: stored copy ${stored.uid} is not for UID ${invite.uid}`);
  return dispatch(method, stored, invite, ctx);
}

function dispatch(method: ItipMethodName, stored: Meeting | undefined, invite: eventsV1.InviteParsed, ctx: ApplyContext): ApplyResult {
  switch (method) {
    case 'REQUEST':
      return applyRequest(stored, invite, ctx);
    case 'CANCEL':
      return applyCancel(stored, invite, ctx);
    case 'REPLY':
      return applyReply(stored, invite, ctx);
    case 'COUNTER':
      return applyCounter(stored, invite, ctx);
    case 'DECLINECOUNTER':
      return applyDeclineCounter(stored, invite, ctx);
    case 'REFRESH':
      return applyRefresh(stored, invite, ctx);
    case 'ADD':
      return applyAdd(stored, invite, ctx);
    case 'PUBLISH':
      // RFC 5546 §3.2.1: a published calendar expects no interaction and names no attendees to
      // schedule; diary entries come from invitations only.
      return { next: stored, changed: false, decisions: [decision('IGNORED', 'PUBLISH_NOT_SCHEDULING', 'METHOD:PUBLISH is a calendar publication, not an invitation')], outbound: [] };
    default:
      return assertNever(method, 'iTIP method');
  }
}

function isMethod(value: string): value is ItipMethodName {
  return (ITIP_METHODS as readonly string[]).includes(value);
}
