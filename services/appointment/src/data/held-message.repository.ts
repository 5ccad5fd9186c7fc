import { Binary, type Collection, type Db } from 'mongodb';
import { IndexSpec, insertIfAbsent, mapDriverErrors, ReadBatcher } from '@inviteflow/mongo';
import type { CopyOwner } from '../domain/copy-owner';

/**
 * A REPLY (or COUNTER, REFRESH, DECLINECOUNTER) that reached an associate before the copy it is
 * about existed: recorded as NO_MATCHING_MEETING and held, so that when the REQUEST creating the
 * copy is applied a moment later (another replica, another order) the answer is not lost.
 */
export interface HeldMessageDoc {
  _id: string;
  /** The copy it waits for (meetingId: associate + UID). */
  copyId: string;
  /** Whose copy, as identity described them on arrival. */
  owner: CopyOwner;
  mailId: string;
  method: string;
  /** invite.parsed.v1 stream sequence: held messages are applied in arrival order. */
  arrival: number;
  /** Every address of the mail's sender as identity resolved them on arrival (authority checks). */
  senderAddresses: string[];
  payload: Binary;
  heldAt: Date;
}

export type HeldMessage = Omit<HeldMessageDoc, 'payload'> & { payload: Uint8Array };

/** One held message per (copy, mail): a redelivery holds nothing new. */
export function heldId(copyId: string, mailId: string): string {
  return `${copyId} ${mailId}`;
}

export const HELD_MESSAGE_INDEXES: IndexSpec[] = [{ collection: 'held_messages', key: { copyId: 1 }, name: 'copy' }];

/**
 * held_messages. Round trips: hold 1, listFor 1 (shared with the look-ups made meanwhile:
 * libs/mongo ReadBatcher, issue 14), remove 1.
 */
export class HeldMessageRepository {
  private readonly held: Collection<HeldMessageDoc>;
  private readonly byCopy: ReadBatcher<HeldMessageDoc>;

  constructor(db: Db) {
    this.held = db.collection('held_messages');
    this.byCopy = new ReadBatcher(this.held, 'copyId');
    return mapDriverErrors(this, 'HeldMessageRepository');
  }

  /** False when this message was already held for this copy (a redelivery). */
  async hold(m: Omit<HeldMessage, '_id'>): Promise<boolean> {
    return insertIfAbsent(this.held, { ...m, _id: heldId(m.copyId, m.mailId), payload: new Binary(m.payload) });
  }

  async listFor(copyId: string): Promise<HeldMessage[]> {
    const docs = await this.byCopy.find(copyId);
    return docs.sort((a, b) => a.arrival - b.arrival).map((d) => ({ ...d, payload: d.payload.buffer }));
  }

  /** The copies anything is held for (the periodic re-check; the collection is small). */
  async copyIds(): Promise<string[]> {
    const docs = await this.held.find({}, { projection: { copyId: 1 } }).toArray();
    return [...new Set(docs.map((d) => d.copyId))];
  }

  async remove(id: string): Promise<void> {
    await this.held.deleteOne({ _id: id });
  }

  async count(): Promise<number> {
    return this.held.countDocuments({});
  }
}
