import { identityV1 } from '@inviteflow/proto-gen';
import { cliError, EXIT, Output } from '../cli-output';
import { associateLabel } from './identity.format';
import { withIdentity } from './identity.rpc';

/**
 * `inviteflow alias add <address> <owner>` / `alias remove <address> [--owner <owner>]`.
 * The owner is an associate's id or any address it holds.
 */
export async function alias(args: string[], opts: { owner?: string }, identityAddr: string, out: Output): Promise<number> {
  const [sub, address, owner] = args;
  if (sub === 'add' && address && owner) {
    const res = await withIdentity(identityAddr, (call) =>
      call<identityV1.AddAliasResponse>((c) => (md, o, cb) => c.addAlias({ owner, alias: address }, md, o, cb)));
    out.result({ outcome: res.outcome, associate: res.associate },
      res.outcome === 'UNCHANGED' ? `${address} already belongs to ${associateLabel(res.associate)}` : `${address} is now an alias of ${associateLabel(res.associate)}`);
    return EXIT.ok;
  }
  if (sub === 'remove' && address && !owner) {
    const res = await withIdentity(identityAddr, (call) =>
      call<identityV1.RemoveAliasResponse>((c) => (md, o, cb) => c.removeAlias({ alias: address, owner: opts.owner ?? '' }, md, o, cb)));
    out.result({ outcome: 'REMOVED', associate: res.associate }, `${address} is no longer an alias of ${associateLabel(res.associate)}`);
    return EXIT.ok;
  }
  throw cliError('CLI_USAGE', 'usage: alias add <address> <owner> | alias remove <address> [--owner <owner>]');
}
