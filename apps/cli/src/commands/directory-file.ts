import { z } from 'zod';
import { identityV1 } from '@inviteflow/proto-gen';
import { cliError } from '../cli-errors';

/**
 * The directory file `{ "associates": [...], "persons": [...] }`, checked row by row before
 * anything is sent: a malformed row is refused here naming the row and the field, and never
 * stops the rows after it. Unknown fields are refused too ("primaryAdress" is a typo that
 * would otherwise import an associate without an address).
 */
const text = z.string().max(1000);
const associateRow = z.strictObject({
  id: text.optional(),
  name: text,
  primaryAddress: text,
  aliases: z.array(text).optional(),
  timeZone: text.optional(),
  locale: text.optional(),
  group: text.optional(),
});
const personRow = z.strictObject({
  id: text.optional(),
  name: text.optional(),
  company: text.optional(),
  addresses: z.array(text).optional(),
});

export interface CheckedRow {
  ref: string;
  kind: 'associate' | 'person';
  key: string;
  /** Set when the row is fine and goes to the server. */
  row?: identityV1.ImportRow;
  /** Set when the row is refused here. */
  problem?: { field: string; message: string };
}

export function checkDirectoryFile(doc: unknown): CheckedRow[] {
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw cliError('CLI_USAGE', 'expected an object with "associates" and/or "persons" arrays');
  const { associates, persons, ...rest } = doc as Record<string, unknown>;
  const unknown = Object.keys(rest);
  if (unknown.length > 0) throw cliError('CLI_USAGE', `unknown top-level field(s) ${unknown.map((k) => `"${k}"`).join(', ')}; expected "associates" and "persons"`);
  if (associates !== undefined && !Array.isArray(associates)) throw cliError('CLI_USAGE', '"associates" must be an array');
  if (persons !== undefined && !Array.isArray(persons)) throw cliError('CLI_USAGE', '"persons" must be an array');
  if (associates === undefined && persons === undefined) throw cliError('CLI_USAGE', 'expected an object with "associates" and/or "persons" arrays');
  return [
    ...(associates ?? []).map((raw: unknown, i: number) => checkRow(`associates[${i}]`, 'associate', raw)),
    ...(persons ?? []).map((raw: unknown, i: number) => checkRow(`persons[${i}]`, 'person', raw)),
  ];
}

function checkRow(ref: string, kind: CheckedRow['kind'], raw: unknown): CheckedRow {
  const parsed = (kind === 'associate' ? associateRow : personRow).safeParse(raw);
  const key = keyOf(kind, raw);
  if (!parsed.success) {
    // An unknown field first: it usually explains the missing one (a typo).
    const issue = parsed.error.issues.find((i) => i.code === 'unrecognized_keys') ?? parsed.error.issues[0]!;
    const path = issue.code === 'unrecognized_keys' ? issue.keys.join(', ') : issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '');
    return { ref, kind, key, problem: { field: path || 'row', message: issue.code === 'unrecognized_keys' ? `unknown field(s): ${issue.keys.join(', ')}` : issue.message } };
  }
  const row = kind === 'associate'
    ? identityV1.ImportRow.fromPartial({ ref, associate: identityV1.Associate.fromPartial(parsed.data as z.infer<typeof associateRow>) })
    : identityV1.ImportRow.fromPartial({ ref, person: identityV1.Person.fromPartial(parsed.data as z.infer<typeof personRow>) });
  return { ref, kind, key, row };
}

function keyOf(kind: CheckedRow['kind'], raw: unknown): string {
  const r = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const first = Array.isArray(r['addresses']) ? r['addresses'][0] : undefined;
  const key = kind === 'associate' ? r['primaryAddress'] : first ?? r['name'];
  return typeof key === 'string' ? key : '';
}
