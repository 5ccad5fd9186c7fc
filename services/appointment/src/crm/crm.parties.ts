import { identityV1 } from '@inviteflow/proto-gen';
import { copyOwnerOf, type CopyOwner } from '../domain/copy-owner';
import type { OwnerDirectory } from '../grpc/owner.resolve';
import { crmError } from './crm.errors';

/** What the directory says about one address on a meeting. */
export interface PartyInfo {
  address: string;
  name: string;
  /** associate: updated in place, never mailed (domain.md §2); person / external: mailed. */
  kind: 'associate' | 'person' | 'external';
  owner?: CopyOwner;
  /** BCP 47 and IANA zone when the directory knows them ('' for persons and unknown addresses). */
  locale: string;
  timeZone: string;
}

export type PartyDirectory = Map<string, PartyInfo>;

/** The acting associate: owner of the copy to write, with the name and locale identity holds. */
export interface ActingAssociate {
  owner: CopyOwner;
  name: string;
  /** The primary address: ORGANIZER / ATTENDEE as written in iCalendar. */
  address: string;
}

const ADDRESS = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const isAssociate = (r: identityV1.Resolution | undefined): r is identityV1.Resolution & { associate: identityV1.Associate } =>
  r?.kind === identityV1.ResolutionKind.RESOLUTION_KIND_ASSOCIATE && r.associate !== undefined;

function acting(a: identityV1.Associate): ActingAssociate {
  const address = a.primaryAddress.toLowerCase();
  return { owner: copyOwnerOf(address, a), name: a.name, address };
}

/** An associate named by id or any address; UNKNOWN_ASSOCIATE otherwise. */
export async function resolveAssociate(identity: OwnerDirectory, who: string, field: string): Promise<ActingAssociate> {
  const w = who.trim();
  if (!w) throw crmError('INVALID_ARGUMENT', field, 'is required');
  if (w.includes('@')) {
    const [r] = await identity.resolve([w]);
    if (isAssociate(r)) return acting(r.associate);
    throw crmError('UNKNOWN_ASSOCIATE', field, `${w} is not an associate's address`);
  }
  const a = await identity.getAssociate(w);
  if (!a) throw crmError('UNKNOWN_ASSOCIATE', field, `no associate with id ${w}`);
  return acting(a);
}

/** Participants as addresses: an address as given (lowercase), an associate id as their primary address. */
export async function participantAddresses(identity: OwnerDirectory, entries: string[], field: string): Promise<string[]> {
  const out: string[] = [];
  for (const [i, entry] of entries.entries()) {
    const e = entry.trim().replace(/^mailto:/i, '').toLowerCase();
    if (!e) throw crmError('INVALID_ARGUMENT', `${field}[${i}]`, 'is empty');
    if (e.includes('@')) {
      if (!ADDRESS.test(e)) throw crmError('INVALID_ARGUMENT', `${field}[${i}]`, `"${entry}" is not an e-mail address`);
      out.push(e);
      continue;
    }
    const a = await identity.getAssociate(entry.trim());
    if (!a) throw crmError('UNKNOWN_ASSOCIATE', `${field}[${i}]`, `no associate with id ${entry.trim()} (give persons and others by address)`);
    out.push(a.primaryAddress.toLowerCase());
  }
  return [...new Set(out)];
}

/** One identity call for every address on a meeting: who is an associate (and their copy), who is mailed. */
export async function resolveParties(identity: OwnerDirectory, addresses: string[]): Promise<PartyDirectory> {
  const unique = [...new Set(addresses.filter(Boolean).map((a) => a.toLowerCase()))];
  const results = unique.length ? await identity.resolve(unique) : [];
  const dir: PartyDirectory = new Map();
  unique.forEach((address, i) => {
    const r = results[i];
    if (isAssociate(r)) {
      const a = r.associate;
      dir.set(address, { address, name: a.name, kind: 'associate', owner: copyOwnerOf(address, a), locale: a.locale, timeZone: a.timeZone });
    } else {
      const person = r?.kind === identityV1.ResolutionKind.RESOLUTION_KIND_PERSON ? r.person : undefined;
      dir.set(address, { address, name: person?.name ?? '', kind: person ? 'person' : 'external', locale: '', timeZone: '' });
    }
  });
  return dir;
}
