import type { Collection, Db } from 'mongodb';
import { insertIfAbsent, mapDriverErrors } from '@inviteflow/mongo';

/** One start-up migration that ran: `_id` is its name, unique, so it is recorded once. */
export interface MigrationDoc {
  _id: string;
  ranAt: Date;
  /** What it found and did, e.g. SWITCHED_ON or NOT_FOUND. */
  outcome: string;
  detail: string;
}

/**
 * The `migrations` collection, and the one question a migration asks the database itself:
 * which collections exist. Round trips: 1 per call.
 */
export class MigrationRepository {
  private readonly migrations: Collection<MigrationDoc>;

  constructor(private readonly db: Db) {
    this.migrations = db.collection('migrations');
    return mapDriverErrors(this, 'MigrationRepository');
  }

  async find(id: string): Promise<MigrationDoc | undefined> {
    return (await this.migrations.findOne({ _id: id })) ?? undefined;
  }

  /** False when it was recorded already (another process ran it first). */
  async record(doc: MigrationDoc): Promise<boolean> {
    return insertIfAbsent(this.migrations, doc);
  }

  /** Which of `names` exist as collections in this database. */
  async collectionsPresent(names: readonly string[]): Promise<string[]> {
    const existing = new Set((await this.db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name));
    return names.filter((n) => existing.has(n));
  }
}
