import { identityV1 } from '@inviteflow/proto-gen';
import { cliError, EXIT, Output, table } from '../cli-output';
import { withIdentity } from './identity.rpc';
import { kindName, matchedByName, whoOf, whyOf } from './identity.format';

/** `inviteflow resolve <address>…`: what each address resolves to, and why. Exit 1 if any is invalid. */
export async function resolve(addresses: string[], identityAddr: string, out: Output): Promise<number> {
  if (addresses.length === 0) throw cliError('CLI_USAGE', 'resolve needs at least one address');
  const res = await withIdentity(identityAddr, (call) =>
    call<identityV1.ResolveAddressesResponse>((c) => (md, o, cb) => c.resolveAddresses({ addresses }, md, o, cb)));
  out.result(
    { results: res.results.map((r) => ({ ...identityV1.Resolution.toJSON(r) as object, kind: kindName(r), matchedBy: matchedByName(r) })) },
    table(['address', 'resolves to', 'why', 'key'], res.results.map((r) => [r.address, whoOf(r), whyOf(r), r.canonicalAddress])),
  );
  return res.results.some((r) => r.invalidReason) ? EXIT.partial : EXIT.ok;
}
