import { isAppError } from '@inviteflow/runtime';
import type { AssociateService, UpsertResult } from './associate.service';
import type { UpsertPolicy } from './associate.upsert-plan';
import type { AssociateInput, PersonInput } from './directory.input';
import { fieldOf, IDENTITY_ERROR_CODES } from './identity.errors';
import type { PersonService } from './person.service';

export type ImportRowInput =
  | { ref: string; associate: AssociateInput; person?: undefined }
  | { ref: string; person: PersonInput; associate?: undefined }
  | { ref: string; associate?: undefined; person?: undefined };

export type ImportOutcome = 'CREATED' | 'UPDATED' | 'UNCHANGED' | 'REFUSED' | 'FAILED' | 'NOT_ATTEMPTED';

export interface ImportRowResult {
  ref: string;
  kind: 'associate' | 'person' | '';
  key: string;
  outcome: ImportOutcome;
  reason: string;
  field: string;
  message: string;
  id: string;
  /** Addresses the row took away from its associate (only with `replaceAliases`). */
  removedAddresses: string[];
  /** Addresses the associate holds that the row does not list, kept (without `replaceAliases`). */
  keptAddresses: string[];
  /** Aliases the row took from other associates (only with `moveAddresses`). */
  movedAddresses: string[];
}

/** How rows treat addresses held elsewhere or left out (docs/identity.md, "Bulk import"). */
export interface ImportOptions {
  /** Let a row take aliases other associates hold (never a primary address). */
  moveAddresses?: boolean;
  /** A row's aliases are the associate's whole list: unlisted ones are removed. */
  replaceAliases?: boolean;
}

/** Asked before each row: stop now (deadline near, caller gone)? The reason is reported. */
export type StopCheck = () => string | undefined;

const CONFLICT_ATTEMPTS = 3;

/**
 * Bulk import, row by row through the same upserts as the single RPCs, so it is idempotent:
 * importing a file twice reports UNCHANGED the second time. A refused row never stops the
 * others. Only two things stop the run — the caller's deadline and a database that does not
 * answer — and then every row not reached is reported NOT_ATTEMPTED, with its reason, so the
 * caller always knows exactly which rows were applied.
 */
export class ImportService {
  constructor(private readonly associates: AssociateService, private readonly persons: PersonService) {}

  async importRows(rows: ImportRowInput[], shouldStop: StopCheck, options: ImportOptions = {}): Promise<{ results: ImportRowResult[]; complete: boolean }> {
    const policy = importPolicy(options);
    const results: ImportRowResult[] = [];
    let stopped: { reason: string; message: string } | undefined;
    for (const row of rows) {
      const base = describe(row);
      const stopReason = stopped ? undefined : shouldStop();
      if (stopReason) stopped = { reason: stopReason, message: 'the import stopped before this row; importing again is safe' };
      if (stopped) {
        results.push({ ...base, ...nothing(), outcome: 'NOT_ATTEMPTED', reason: stopped.reason, message: stopped.message });
        continue;
      }
      const result = await this.importOne(row, base, policy);
      if (result.outcome === 'FAILED') stopped = { reason: result.reason, message: `the import stopped at ${row.ref}: ${result.message}` };
      results.push(result);
    }
    return { results, complete: !stopped };
  }

  private async importOne(row: ImportRowInput, base: RowBase, policy: UpsertPolicy): Promise<ImportRowResult> {
    if (!row.associate && !row.person) {
      return { ...base, ...nothing(), outcome: 'REFUSED', reason: IDENTITY_ERROR_CODES.invalidArgument, field: 'entry', message: 'entry: a row is an associate or a person' };
    }
    for (let attempt = 1; ; attempt++) {
      try {
        if (row.associate) return associateApplied(base, await this.associates.upsert(row.associate, policy));
        const r = await this.persons.upsert(row.person!);
        return { ...base, ...nothing(), outcome: r.outcome, id: r.person._id };
      } catch (err) {
        if (isAppError(err) && err.code === IDENTITY_ERROR_CODES.conflict && attempt < CONFLICT_ATTEMPTS) continue;
        return failed(base, err);
      }
    }
  }
}

type RowBase = Pick<ImportRowResult, 'ref' | 'kind' | 'key'>;

/** The fields of a result that say nothing yet (fresh arrays per result). */
function nothing(): Omit<ImportRowResult, keyof RowBase | 'outcome'> {
  return { reason: '', field: '', message: '', id: '', removedAddresses: [], keptAddresses: [], movedAddresses: [] };
}

/**
 * A row is keyed by its id when it has one, else by its primary address under the same name:
 * a row naming someone else's address is refused (ADDRESS_TAKEN naming the holder), never a
 * rename or a silent move. What a row leaves out is kept unless `replaceAliases`.
 */
function importPolicy(options: ImportOptions): UpsertPolicy {
  return { unlisted: options.replaceAliases ? 'replace' : 'keep', sameNameToMatch: true, moveAliases: !!options.moveAddresses };
}

function associateApplied(base: RowBase, r: UpsertResult): ImportRowResult {
  const message = [
    r.moved.length > 0 && `moved ${r.moved.map((m) => `${m.address} from ${m.fromName} (${m.fromId})`).join(', ')}`,
    r.removed.length > 0 && `removed ${r.removed.join(', ')}`,
    r.kept.length > 0 && `kept ${r.kept.join(', ')} (not in the row)`,
  ].filter(Boolean).join('; ');
  return {
    ...base, ...nothing(), outcome: r.outcome, id: r.associate._id, message,
    removedAddresses: r.removed, keptAddresses: r.kept, movedAddresses: r.moved.map((m) => m.address),
  };
}

const ROW_FAULTS = new Set<string>(Object.values(IDENTITY_ERROR_CODES));

/**
 * A refusal with one of our own codes is the row's fault: report it and go on. Anything else
 * (the database down or failing, a bug) is not, and would fail the next rows the same way:
 * stop, say where, and let the caller import again.
 */
function failed(base: RowBase, err: unknown): ImportRowResult {
  const message = err instanceof Error ? err.message : String(err);
  if (isAppError(err) && ROW_FAULTS.has(err.code) && (!err.retryable || err.code === IDENTITY_ERROR_CODES.conflict)) {
    return { ...base, ...nothing(), outcome: 'REFUSED', reason: err.code, field: fieldOf(err), message };
  }
  const code = (err as { code?: unknown }).code;
  const reason = typeof code === 'string' ? code : 'INTERNAL';
  return { ...base, ...nothing(), outcome: 'FAILED', reason, message: `${message} (this row may be partly written; importing again completes it)` };
}

function describe(row: ImportRowInput): RowBase {
  if (row.associate) return { ref: row.ref, kind: 'associate', key: row.associate.primaryAddress ?? '' };
  if (row.person) return { ref: row.ref, kind: 'person', key: row.person.addresses[0] ?? row.person.name ?? '' };
  return { ref: row.ref, kind: '', key: '' };
}
