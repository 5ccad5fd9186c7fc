import { appointmentV1 } from '@inviteflow/proto-gen';
import { callUnary } from '@inviteflow/rpc';
import { cliError, EXIT, Output, table } from '../cli-output';
import { appointmentClient, CLI_DEADLINE_MS, cliErrorFromGrpc } from '../grpc-clients';

export interface SettingsOptions {
  associate?: string;
  group?: string;
  reason?: string;
}

const USAGE = `usage: settings get [--associate A]
       settings set incoming-policy <enable-all | no-tentative-creation | no-creation-updates-replies | disable-all | inherit> [--group G | --associate A]
       settings set synchronizer <on | off> [--reason R]`;

const { IncomingPolicy } = appointmentV1;
const POLICY_WORDS: Record<string, appointmentV1.IncomingPolicy> = {
  'enable-all': IncomingPolicy.INCOMING_POLICY_ENABLE_ALL,
  'no-tentative-creation': IncomingPolicy.INCOMING_POLICY_NO_TENTATIVE_CREATION,
  'no-creation-updates-replies': IncomingPolicy.INCOMING_POLICY_NO_CREATION_UPDATES_REPLIES,
  'disable-all': IncomingPolicy.INCOMING_POLICY_DISABLE_ALL,
  // Removes the level's own value: it inherits from the next level up again.
  inherit: IncomingPolicy.INCOMING_POLICY_UNSPECIFIED,
};

/** Calls the appointment service's Settings RPCs (GetSettings / SetSettings). */
export async function fetchSettings(addr: string, associate = ''): Promise<appointmentV1.Settings> {
  const client = appointmentClient(addr);
  try {
    const res = await callUnary<appointmentV1.GetSettingsResponse>((md, o, cb) => client.getSettings({ associate }, md, o, cb), CLI_DEADLINE_MS);
    return res.settings ?? appointmentV1.Settings.fromPartial({});
  } catch (err) {
    throw cliErrorFromGrpc(err, 'appointment', addr);
  } finally {
    client.close();
  }
}

/** `inviteflow settings get | set`: "Manage incoming invitations" per level, and the calendar synchronizer preference. */
export async function settings(args: string[], opts: SettingsOptions, addr: string, out: Output): Promise<number> {
  const [sub, what, value, ...rest] = args;
  if (sub === 'get' && !what) {
    const s = await fetchSettings(addr, opts.associate ?? '');
    out.result(appointmentV1.Settings.toJSON(s), settingsText(s));
    return EXIT.ok;
  }
  if (sub !== 'set' || !what || !value || rest.length > 0) throw cliError('CLI_USAGE', USAGE);
  const req = setRequest(what, value, opts);
  const client = appointmentClient(addr);
  let res: appointmentV1.SetSettingsResponse;
  try {
    res = await callUnary<appointmentV1.SetSettingsResponse>((md, o, cb) => client.setSettings(req, md, o, cb), CLI_DEADLINE_MS);
  } catch (err) {
    throw cliErrorFromGrpc(err, 'appointment', addr);
  } finally {
    client.close();
  }
  const s = res.settings ?? appointmentV1.Settings.fromPartial({});
  out.result(appointmentV1.SetSettingsResponse.toJSON(res), `${res.changed ? 'changed' : 'unchanged (it already was)'}\n\n${settingsText(s)}`);
  return EXIT.ok;
}

function setRequest(what: string, value: string, opts: SettingsOptions): appointmentV1.SetSettingsRequest {
  const base = { changedBy: process.env['USER'] ? `cli:${process.env['USER']}` : 'cli', reason: opts.reason ?? '' };
  if (what === 'synchronizer') {
    if (value !== 'on' && value !== 'off') throw cliError('CLI_USAGE', `settings set synchronizer: on or off (got '${value}')\n${USAGE}`);
    return { ...base, synchronizerInUse: value === 'on' };
  }
  if (what !== 'incoming-policy') throw cliError('CLI_USAGE', USAGE);
  const policy = POLICY_WORDS[value];
  if (policy === undefined) throw cliError('CLI_USAGE', `settings set incoming-policy: one of ${Object.keys(POLICY_WORDS).join(', ')} (got '${value}')`);
  if (opts.group && opts.associate) throw cliError('CLI_USAGE', 'settings set incoming-policy: --group or --associate, not both');
  const level = opts.associate ? 'associate' : opts.group ? 'group' : 'system';
  return { ...base, incomingPolicy: { level, scope: opts.associate ?? opts.group ?? '', policy } };
}

export function settingsText(s: appointmentV1.Settings): string {
  const rows = s.policies.map((p) => [p.level, p.scope || '-', policyWord(p.policy), p.updatedAt?.toISOString() ?? '-', p.updatedBy]);
  const sync = s.synchronizer;
  const detection = s.synchronizerDetection;
  return [
    'Manage incoming invitations (the most specific set level wins; nothing set: enable-all)',
    rows.length ? table(['level', 'scope', 'policy', 'updated', 'by'], rows) : '  nothing set: enable-all for everyone',
    ...(s.effective ? [`  ${s.effective.associateId}${s.effective.group ? ` (group ${s.effective.group})` : ''}: ${policyWord(s.effective.policy)} — from ${s.effective.level}${s.effective.scope ? ` ${s.effective.scope}` : ''}`] : []),
    '',
    `calendar synchronizer in use: ${sync?.inUse ? 'on' : 'off'}${sync?.changedAt ? ` (since ${sync.changedAt.toISOString()}, by ${sync.changedBy}: ${sync.reason})` : ''}`,
    `upgrade detection: ${detection ? `${detection.outcome} at ${detection.ranAt?.toISOString() ?? '?'} — ${detection.detail}` : 'not run yet'}`,
    markingText(s.marking),
  ].join('\n');
}

/** The not-in-sync marking's progress, one line (also in `inviteflow status`). */
export function markingText(m: appointmentV1.NotInSyncMarking | undefined): string {
  if (!m || m.state === 'none') return 'not-in-sync marking: never run (the synchronizer preference was never switched on)';
  const progress = `${m.scanned} of ${m.total} copies looked at, ${m.marked} marked, ${m.batches} batches`;
  const when = m.finishedAt ? `finished ${m.finishedAt.toISOString()}` : `last checkpoint ${m.updatedAt?.toISOString() ?? '-'}`;
  return `not-in-sync marking: ${m.state} — ${progress}; ${when} (copies created before ${m.cutoff?.toISOString() ?? '?'})`;
}

function policyWord(p: appointmentV1.IncomingPolicy): string {
  return Object.entries(POLICY_WORDS).find(([, v]) => v === p)?.[0] ?? 'inherit';
}
