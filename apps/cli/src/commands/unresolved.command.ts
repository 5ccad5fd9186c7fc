import { identityV1 } from '@inviteflow/proto-gen';
import { cliError, EXIT, Output, table } from '../cli-output';
import { associateLabel, date } from './identity.format';
import { withIdentity } from './identity.rpc';

/**
 * `inviteflow unresolved [--all] [--limit N]`: addresses in our domains that mail arrived for
 * while nobody held them (their invites are parked), most recent first, with counts, first
 * and last seen, and who they might be.
 */
export async function unresolved(opts: { all?: boolean; limit?: string }, identityAddr: string, out: Output): Promise<number> {
  const limit = opts.limit === undefined ? 0 : Number(opts.limit);
  if (!Number.isInteger(limit) || limit < 0 || limit > 1000) throw cliError('CLI_USAGE', '--limit must be an integer 1-1000');
  const res = await withIdentity(identityAddr, (call) =>
    call<identityV1.ListUnresolvedResponse>((c) => (md, o, cb) => c.listUnresolved({ limit, includeResolved: !!opts.all }, md, o, cb)));
  const rows = res.addresses.map((u) => [
    u.address, String(u.count), date(u.firstSeen), date(u.lastSeen), u.displayNames.join('; '),
    u.suggestions.map((s) => `${associateLabel(s.associate)} (${s.reason})`).join('; ') || '-',
    ...(opts.all ? [u.resolvedTo ? `→ ${u.resolvedTo} ${date(u.resolvedAt)}` : 'open'] : []),
  ]);
  const headers = ['address', 'mails', 'first seen', 'last seen', 'names seen', 'suggestions', ...(opts.all ? ['state'] : [])];
  out.result(
    { totalOpen: res.totalOpen, addresses: res.addresses.map((u) => identityV1.UnresolvedAddress.toJSON(u)) },
    rows.length === 0
      ? 'no unresolved addresses: every address mail arrived for in our domains is known'
      : `${table(headers, rows)}\n\n${res.totalOpen} open; add one with: inviteflow alias add <address> <owner>`,
  );
  return EXIT.ok;
}
