import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { table } from '../cli-output';
import type { PhaseRun } from './chaos.phases';

/** One row of reports/chaos.json: what happened to the invitations sent around one fault. */
export interface FaultFigures {
  readonly fault: string;
  readonly sent: number;
  readonly acceptedBySmtp: number;
  /** Given up on by the sender after retrying (never a 250): the sender still holds them. */
  readonly notAccepted: number;
  /** Accepted invitations with at least one appointment.scheduled.v1. */
  readonly applied: number;
  /** Accepted invitations with exactly one stored meeting copy (MongoDB, the second count). */
  readonly storedOnce: number;
  /** Invitations with more than one appointment.scheduled.v1 or more than one stored copy. */
  readonly duplicated: number;
  /** Accepted (250) and neither stored nor announced: the invitation is gone. */
  readonly lost: number;
  /**
   * Accepted and stored, but its appointment.scheduled.v1 never published: whatever listens
   * for the event (the CRM, the calendar synchronizer) never hears of the meeting.
   */
  readonly eventLost: number;
  readonly deadLettered: number;
  readonly smtpTransient4xx: number;
  readonly smtpConnectionErrors: number;
  /** Fault → the part was back (restarted, resumed); null: never within the deadline. */
  readonly restartMs: number | null;
  /**
   * Fault → every invitation SMTP accepted until the part was back (restarted, resumed) has
   * been applied: the backlog the fault left is gone. Null when that never happened.
   */
  readonly recoveryMs: number | null;
  readonly detail: Record<string, unknown>;
}

export function faultFigures(p: PhaseRun, events: ReadonlyMap<string, number>, meetings: ReadonlyMap<string, number>, firstApplied: ReadonlyMap<string, number>): FaultFigures {
  const accepted = p.outcomes.filter((o) => o.accepted);
  const uids = p.outcomes.map((o) => o.uid);
  const injectedAt = p.effect?.injectedAt ?? null;
  return {
    fault: p.fault,
    sent: p.outcomes.length,
    acceptedBySmtp: accepted.length,
    notAccepted: p.outcomes.length - accepted.length,
    applied: accepted.filter((o) => (events.get(o.uid) ?? 0) > 0).length,
    storedOnce: accepted.filter((o) => meetings.get(o.uid) === 1).length,
    duplicated: uids.filter((u) => (events.get(u) ?? 0) > 1 || (meetings.get(u) ?? 0) > 1).length,
    lost: accepted.filter((o) => (events.get(o.uid) ?? 0) === 0 && (meetings.get(o.uid) ?? 0) === 0).length,
    eventLost: accepted.filter((o) => (events.get(o.uid) ?? 0) === 0 && (meetings.get(o.uid) ?? 0) > 0).length,
    deadLettered: p.deadLettered,
    smtpTransient4xx: sum(p.outcomes.map((o) => o.transient4xx)),
    smtpConnectionErrors: sum(p.outcomes.map((o) => o.connectionErrors)),
    restartMs: p.effect && p.effect.backAt !== null ? p.effect.backAt - p.effect.injectedAt : null,
    recoveryMs: injectedAt === null || !p.effect || p.effect.backAt === null ? null : recovery(accepted, injectedAt, p.effect.backAt, firstApplied),
    detail: { ...(p.effect?.detail ?? {}), ...lostAndDuplicated(p, events, meetings) },
  };
}

/** Fault → every invitation SMTP accepted until the part was back has been applied. */
function recovery(accepted: ReadonlyArray<{ uid: string; acceptedAt?: number }>, injectedAt: number, backAt: number, firstApplied: ReadonlyMap<string, number>): number | null {
  const applied = accepted.filter((o) => (o.acceptedAt ?? 0) <= backAt).map((o) => firstApplied.get(o.uid));
  if (applied.some((t) => t === undefined)) return null;
  return Math.max(backAt, ...(applied as number[])) - injectedAt;
}

/** The first few UIDs of each, to look up with `inviteflow explain` in the run's logs. */
function lostAndDuplicated(p: PhaseRun, events: ReadonlyMap<string, number>, meetings: ReadonlyMap<string, number>): Record<string, string[]> {
  const lost = p.outcomes.filter((o) => o.accepted && (events.get(o.uid) ?? 0) === 0).map((o) => `${o.uid}${(meetings.get(o.uid) ?? 0) > 0 ? ' (stored, no event)' : ''}`);
  const dup = p.outcomes.filter((o) => (events.get(o.uid) ?? 0) > 1 || (meetings.get(o.uid) ?? 0) > 1).map((o) => o.uid);
  return { ...(lost.length ? { lostUids: lost.slice(0, 20) } : {}), ...(dup.length ? { duplicatedUids: dup.slice(0, 20) } : {}) };
}

const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);

export interface ChaosReport {
  readonly when: string;
  readonly settings: Record<string, unknown>;
  readonly faults: readonly FaultFigures[];
  readonly totals: { sent: number; acceptedBySmtp: number; applied: number; duplicated: number; lost: number; eventLost: number; deadLettered: number };
  /** Faults planned but not run (the time bound ran out). */
  readonly skipped: readonly string[];
  readonly runnerEvents: readonly string[];
  readonly ok: boolean;
}

export function buildReport(settings: Record<string, unknown>, faults: FaultFigures[], skipped: string[], runnerEvents: string[]): ChaosReport {
  const total = (k: keyof ChaosReport['totals']): number => sum(faults.map((f) => f[k]));
  const totals = {
    sent: total('sent'), acceptedBySmtp: total('acceptedBySmtp'), applied: total('applied'), duplicated: total('duplicated'),
    lost: total('lost'), eventLost: total('eventLost'), deadLettered: total('deadLettered'),
  };
  const backEveryTime = faults.every((f) => f.fault === 'none' || f.restartMs !== null);
  return { when: new Date().toISOString(), settings, faults, totals, skipped, runnerEvents, ok: totals.lost === 0 && totals.eventLost === 0 && totals.duplicated === 0 && skipped.length === 0 && backEveryTime };
}

export function writeReport(file: string, report: ChaosReport): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(report, null, 2) + '\n');
}

const ms = (x: number | null): string => (x === null ? 'never' : `${(x / 1000).toFixed(1)} s`);

export function reportTable(r: ChaosReport): string {
  const rows = r.faults.map((f) => [f.fault, String(f.sent), String(f.acceptedBySmtp), String(f.applied), String(f.duplicated), String(f.lost), String(f.eventLost), String(f.deadLettered),
    String(f.smtpTransient4xx + f.smtpConnectionErrors), f.fault === 'none' ? '-' : ms(f.restartMs), f.fault === 'none' ? '-' : ms(f.recoveryMs)]);
  return table(['fault', 'sent', 'accepted', 'applied', 'duplicated', 'lost', 'event lost', 'dead-lettered', 'smtp retries', 'back after', 'recovered after'], rows);
}
