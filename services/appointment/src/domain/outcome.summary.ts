import type { Decision } from '@inviteflow/itip';
import { policyText, type PolicyNote } from './incoming-policy';

/**
 * What one message meant for one recipient (issue 9 §4): the copy it touched and every
 * decision libs/itip made, or PARKED while the address is unknown.
 */
export interface RecipientOutcome {
  /** The envelope address the mail reached. */
  address: string;
  /** '' when the address is nobody's yet (PARKED). */
  associateId: string;
  /** The copy written or judged; '' when none exists. */
  meetingId: string;
  /** APPLIED when any decision applied, else the first decision's code; PARKED. */
  outcome: string;
  decisions: Decision[];
  /** NO_MATCHING_MEETING for now: held, and applied when the REQUEST creating the copy arrives. */
  held?: boolean;
  /** Set on entries written later: a parked invite applied once its address became known, or a held one once its meeting arrived. */
  appliedLater?: 'PARKED' | 'HELD';
  /**
   * Set when outcome is POLICY or SYNCHRONIZER (issue 10 §3, §4): the setting that kept the
   * message out and the level that decided; `wouldHave` holds what libs/itip would have decided
   * (NO_CREATION_UPDATES_REPLIES and NO_TENTATIVE_CREATION record it; DISABLE_ALL does not look).
   */
  policy?: PolicyNote & { wouldHave?: Decision[] };
}

export interface OutcomeSummary {
  outcome: string;
  detail: string;
  /** The copies the message touched. */
  appointmentIds: string[];
  /** Addresses it still waits for. */
  parkedFor: string[];
}

/**
 * Pure: one entry per recipient address from what was recorded on arrival and what was
 * applied later (a parked or held message). A message applied once stays APPLIED: a later
 * DUPLICATE of the same message (two paths applied it) does not hide that; otherwise the later
 * entry supersedes the arrival one (PARKED → what applying found).
 */
export function effectiveEntries(onArrival: RecipientOutcome[], later: RecipientOutcome[]): RecipientOutcome[] {
  const byAddress = new Map<string, RecipientOutcome>();
  for (const e of [...onArrival, ...later]) {
    const seen = byAddress.get(e.address);
    if (!seen || seen.outcome !== 'APPLIED') byAddress.set(e.address, e);
  }
  return [...byAddress.values()];
}

/**
 * Pure: the outcome of a message over all its recipients: APPLIED when any copy changed,
 * PARKED when it only waits for unknown addresses, NO_KNOWN_RECIPIENT when nobody is ours, else
 * the first recipient's code (STALE, DUPLICATE, UNAUTHORISED, …). `detail` names each result.
 */
export function summariseOutcome(entries: RecipientOutcome[]): OutcomeSummary {
  const appointmentIds = [...new Set(entries.map((e) => e.meetingId).filter(Boolean))];
  const parkedFor = entries.filter((e) => e.outcome === 'PARKED').map((e) => e.address);
  if (entries.length === 0) return { outcome: 'NO_KNOWN_RECIPIENT', detail: 'no recipient resolves to an associate', appointmentIds, parkedFor };
  const codes = entries.map((e) => e.outcome);
  const outcome = codes.includes('APPLIED') ? 'APPLIED' : codes.every((c) => c === 'PARKED') ? 'PARKED' : codes.find((c) => c !== 'PARKED')!;
  return { outcome, detail: entries.map(describeEntry).join('; '), appointmentIds, parkedFor };
}

function describeEntry(e: RecipientOutcome): string {
  if (e.outcome === 'PARKED') return `${e.address}: parked until known`;
  if (e.policy) return `${e.address}: ${e.outcome} — ${policyText(e.policy)}`;
  const why = e.decisions.map((d) => `${d.code} ${d.reason}${d.recurrenceId ? ` @${d.recurrenceId}` : ''}${d.detail ? ` (${d.detail})` : ''}`).join(', ');
  return `${e.address}: ${why}${e.held ? ' — held until the meeting arrives' : ''}`;
}
