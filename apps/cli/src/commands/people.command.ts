import { identityV1 } from '@inviteflow/proto-gen';
import { cliError, EXIT, exitCodeOf, Output, table } from '../cli-output';
import { withIdentity } from './identity.rpc';
import { personLabel, whoOf, whyOf } from './identity.format';

export interface PeopleOptions {
  alias?: string[];
  'time-zone'?: string;
  locale?: string;
  group?: string;
  person?: boolean;
  company?: string;
  associates?: boolean;
  persons?: boolean;
}

const USAGE = `usage: people add <name> <address> [--alias A ...] [--time-zone Z] [--locale L] [--group G]
       people add --person <name> [<address> ...] [--company C]
       people list [--associates | --persons]
       people show <id | address>`;

/** `inviteflow people add | list | show`: associates (with a diary) and persons (contacts). */
export async function people(args: string[], opts: PeopleOptions, identityAddr: string, out: Output): Promise<number> {
  const [sub, ...rest] = args;
  switch (sub) {
    case 'add':
      return opts.person ? addPerson(rest, opts, identityAddr, out) : addAssociate(rest, opts, identityAddr, out);
    case 'list':
      return list(opts, identityAddr, out);
    case 'show':
      if (rest.length !== 1) break;
      return show(rest[0]!, identityAddr, out);
    default:
      break;
  }
  throw cliError('CLI_USAGE', USAGE);
}

async function addAssociate(args: string[], opts: PeopleOptions, identityAddr: string, out: Output): Promise<number> {
  const [name, primaryAddress] = args;
  if (!name || !primaryAddress || args.length > 2) throw cliError('CLI_USAGE', USAGE);
  const associate = identityV1.Associate.fromPartial({
    name, primaryAddress, aliases: opts.alias ?? [], timeZone: opts['time-zone'] ?? '', locale: opts.locale ?? '', group: opts.group ?? '',
  });
  const res = await withIdentity(identityAddr, (call) =>
    call<identityV1.UpsertAssociateResponse>((c) => (md, o, cb) => c.upsertAssociate({ associate }, md, o, cb)));
  out.result({ outcome: res.outcome, associate: res.associate }, `${res.outcome.toLowerCase()} associate ${describeAssociate(res.associate!)}`);
  return EXIT.ok;
}

async function addPerson(args: string[], opts: PeopleOptions, identityAddr: string, out: Output): Promise<number> {
  const [name, ...addresses] = args;
  if (!name) throw cliError('CLI_USAGE', USAGE);
  const person = identityV1.Person.fromPartial({ name, addresses, company: opts.company ?? '' });
  const res = await withIdentity(identityAddr, (call) =>
    call<identityV1.UpsertPersonResponse>((c) => (md, o, cb) => c.upsertPerson({ person }, md, o, cb)));
  out.result({ outcome: res.outcome, person: res.person }, `${res.outcome.toLowerCase()} person ${personLabel(res.person)} (id ${res.person!.id})`);
  return EXIT.ok;
}

async function list(opts: PeopleOptions, identityAddr: string, out: Output): Promise<number> {
  const wantAssociates = !opts.persons || !!opts.associates;
  const wantPersons = !opts.associates || !!opts.persons;
  const { associates, persons } = await withIdentity(identityAddr, async (call) => {
    const a: identityV1.Associate[] = [];
    const p: identityV1.Person[] = [];
    for (let token = '', first = true; wantAssociates && (first || token); first = false) {
      const page = await call<identityV1.ListAssociatesResponse>((c) => (md, o, cb) => c.listAssociates({ pageSize: 1000, pageToken: token }, md, o, cb));
      a.push(...page.associates);
      token = page.nextPageToken;
    }
    for (let token = '', first = true; wantPersons && (first || token); first = false) {
      const page = await call<identityV1.ListPersonsResponse>((c) => (md, o, cb) => c.listPersons({ pageSize: 1000, pageToken: token }, md, o, cb));
      p.push(...page.persons);
      token = page.nextPageToken;
    }
    return { associates: a, persons: p };
  });
  const rows = [
    ...associates.map((a) => ['associate', a.name, [a.primaryAddress, ...a.aliases].join(', '), a.group, a.timeZone, a.id]),
    ...persons.map((p) => ['person', p.name, p.addresses.join(', '), p.company, '', p.id]),
  ];
  out.result({ associates, persons }, rows.length === 0 ? 'the directory is empty' : table(['kind', 'name', 'addresses', 'group / company', 'time zone', 'id'], rows));
  return EXIT.ok;
}

/** By address: what it resolves to; by id: the associate, else the person. */
async function show(what: string, identityAddr: string, out: Output): Promise<number> {
  if (what.includes('@')) {
    const [r] = (await withIdentity(identityAddr, (call) =>
      call<identityV1.ResolveAddressesResponse>((c) => (md, o, cb) => c.resolveAddresses({ addresses: [what] }, md, o, cb)))).results;
    if (!r || r.kind === identityV1.ResolutionKind.RESOLUTION_KIND_UNKNOWN) throw cliError('CLI_NOT_FOUND', `${what}: ${r ? whyOf(r) : 'not found'}`);
    out.result(identityV1.Resolution.toJSON(r), [whoOf(r), `matched by: ${whyOf(r)}`, ...(r.associate ? [describeAssociate(r.associate)] : [])].join('\n'));
    return EXIT.ok;
  }
  const found = await withIdentity(identityAddr, async (call) => {
    try {
      return { associate: (await call<identityV1.GetAssociateResponse>((c) => (md, o, cb) => c.getAssociate({ owner: what }, md, o, cb))).associate };
    } catch (err) {
      if (exitCodeOf(err) !== EXIT.notFound) throw err;
      return { person: (await call<identityV1.GetPersonResponse>((c) => (md, o, cb) => c.getPerson({ id: what }, md, o, cb))).person };
    }
  });
  out.result(found, found.associate ? `associate ${describeAssociate(found.associate)}` : `person ${personLabel(found.person)}\naddresses: ${found.person?.addresses.join(', ')}\nid: ${found.person?.id}`);
  return EXIT.ok;
}

function describeAssociate(a: identityV1.Associate): string {
  return [
    `${a.name} <${a.primaryAddress}>`,
    `  aliases:   ${a.aliases.join(', ') || '-'}`,
    `  time zone: ${a.timeZone}   locale: ${a.locale || '-'}   group: ${a.group || '-'}`,
    `  id:        ${a.id}`,
  ].join('\n');
}
