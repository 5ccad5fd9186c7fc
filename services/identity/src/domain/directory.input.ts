import { isAppError } from '@inviteflow/runtime';
import { PolicySet } from './address.policy';
import { normaliseAddress } from './address.normalise';
import { keyOf } from './directory.keys';
import { fieldError, IDENTITY_ERROR_CODES } from './identity.errors';

/** An address of an entry, normalised, with its directory key and the field it came from. */
export interface KeyedAddress {
  address: string;
  key: string;
  field: string;
}

export interface AssociateInput {
  id?: string;
  name: string;
  primaryAddress: string;
  aliases: string[];
  timeZone: string;
  locale: string;
  group: string;
}

export interface ValidAssociate {
  id?: string;
  name: string;
  primary: KeyedAddress;
  /** Without the primary and without two spellings of one mailbox. */
  aliases: KeyedAddress[];
  timeZone: string;
  locale: string;
  group: string;
}

export interface PersonInput {
  id?: string;
  name: string;
  company: string;
  addresses: string[];
}

export interface ValidPerson {
  id?: string;
  name: string;
  company: string;
  addresses: KeyedAddress[];
}

const MAX_ALIASES = 100;
const MAX_TEXT = 200;

/** Pure: an associate as given → as stored, or a refusal naming the field. */
export function validateAssociate(input: AssociateInput, policies: PolicySet): ValidAssociate {
  const name = text(input.name, 'name');
  if (!name) throw fieldError(IDENTITY_ERROR_CODES.invalidArgument, 'name', 'is required');
  if (!input.primaryAddress?.trim()) throw fieldError(IDENTITY_ERROR_CODES.invalidAddress, 'primary_address', 'is required');
  if (input.aliases.length > MAX_ALIASES) throw fieldError(IDENTITY_ERROR_CODES.invalidArgument, 'aliases', `at most ${MAX_ALIASES}`);
  const primary = keyed(input.primaryAddress, 'primary_address', policies);
  const aliases = distinctByKey(input.aliases.map((a, i) => keyed(a, `aliases[${i}]`, policies)), [primary.key]);
  return {
    id: input.id?.trim() || undefined, name, primary, aliases,
    timeZone: timeZone(input.timeZone), locale: locale(input.locale), group: text(input.group, 'group'),
  };
}

/** Pure: a person as given → as stored. Persons need a name or at least one address. */
export function validatePerson(input: PersonInput, policies: PolicySet): ValidPerson {
  const name = text(input.name, 'name');
  if (input.addresses.length > MAX_ALIASES) throw fieldError(IDENTITY_ERROR_CODES.invalidArgument, 'addresses', `at most ${MAX_ALIASES}`);
  const addresses = distinctByKey(input.addresses.map((a, i) => keyed(a, `addresses[${i}]`, policies)), []);
  if (!name && addresses.length === 0) throw fieldError(IDENTITY_ERROR_CODES.invalidArgument, 'name', 'a person needs a name or an address');
  return { id: input.id?.trim() || undefined, name, company: text(input.company, 'company'), addresses };
}

export function keyed(raw: string, field: string, policies: PolicySet): KeyedAddress {
  try {
    const address = normaliseAddress(raw ?? '');
    return { address, key: keyOf(address, policies), field };
  } catch (err) {
    if (isAppError(err)) throw fieldError(IDENTITY_ERROR_CODES.invalidAddress, field, err.message);
    throw err;
  }
}

/** Two spellings of one mailbox are one address: the first spelling is kept. */
function distinctByKey(list: KeyedAddress[], taken: string[]): KeyedAddress[] {
  const seen = new Set(taken);
  return list.filter((a) => !seen.has(a.key) && seen.add(a.key));
}

function text(value: string | undefined, field: string): string {
  const v = (value ?? '').trim();
  if (v.length > MAX_TEXT) throw fieldError(IDENTITY_ERROR_CODES.invalidArgument, field, `at most ${MAX_TEXT} characters`);
  return v;
}

/** An IANA zone (RFC 6557 tz database); empty means UTC. */
function timeZone(value: string | undefined): string {
  const zone = (value ?? '').trim() || 'UTC';
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return zone;
  } catch {
    throw fieldError(IDENTITY_ERROR_CODES.invalidArgument, 'time_zone', `"${zone}" is not an IANA time zone (e.g. "Europe/Oslo")`);
  }
}

/** A BCP 47 language tag (RFC 5646), canonicalised ("en-gb" → "en-GB"); may be empty. */
function locale(value: string | undefined): string {
  const tag = (value ?? '').trim();
  if (!tag) return '';
  try {
    return Intl.getCanonicalLocales(tag)[0]!;
  } catch {
    throw fieldError(IDENTITY_ERROR_CODES.invalidArgument, 'locale', `"${tag}" is not a BCP 47 language tag (e.g. "nb-NO")`);
  }
}
