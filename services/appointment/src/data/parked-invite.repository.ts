import { Binary, type Collection, type Db } from 'mongodb';
import { insertIfAbsent, mapDriverErrors } from '@inviteflow/mongo';

/**
 * An invitation kept for a recipient in our domains that nobody held when it arrived.
 * `_id` is "<address> <mailId> <uid>": a redelivered message parks nothing new, and all
 * invites of one address share the `_id` prefix, so finding them is a range on the `_id`
 * index (an anchored prefix regex) on MongoDB and on the stand-in alike.
 */
export interface ParkedInviteDoc {
  _id: string;
  /** The directory key (canonical address) identity gave the recipient. */
  address: string;
  mailId: string;
  uid: string;
  method: string;
  /** JetStream stream sequence of the invite.parsed message: the arrival order. */
  arrival: number;
  /** The original invite.parsed.v1 payload, applied later through the normal path. */
  payload: Binary;
  displayName: string;
  parkedAt: Date;
}

export type ParkedInvite = Omit<ParkedInviteDoc, 'payload'> & { payload: Uint8Array };

export function parkedId(address: string, mailId: string, uid: string): string {
  // Normalised addresses hold no space (identity refuses them), so the prefix is unambiguous.
  return `${address} ${mailId} ${uid}`;
}

/** parked_invites. Round trips: park 1, listFor 1, remove 1; addresses() scans (the sweep). */
export class ParkedInviteRepository {
  private readonly parked: Collection<ParkedInviteDoc>;

  constructor(db: Db) {
    this.parked = db.collection('parked_invites');
    return mapDriverErrors(this, 'ParkedInviteRepository');
  }

  /** False when this (address, mail, uid) was already parked. */
  async park(p: ParkedInvite): Promise<boolean> {
    return insertIfAbsent(this.parked, { ...p, payload: new Binary(p.payload) });
  }

  /** The invites parked for one address, in arrival order. */
  async listFor(address: string): Promise<ParkedInvite[]> {
    const docs = await this.parked.find({ _id: { $regex: `^${escapeRegex(address)} ` } }).toArray();
    return docs
      .filter((d) => d.address === address)
      .sort((a, b) => a.arrival - b.arrival || a.parkedAt.getTime() - b.parkedAt.getTime())
      .map((d) => ({ ...d, payload: d.payload.buffer }));
  }

  async remove(id: string): Promise<void> {
    await this.parked.deleteOne({ _id: id });
  }

  /** Every address with parked invites (for the periodic re-check; the collection is small). */
  async addresses(): Promise<string[]> {
    const docs = await this.parked.find({}, { projection: { address: 1 } }).toArray();
    return [...new Set(docs.map((d) => d.address))];
  }

  async count(): Promise<number> {
    return this.parked.countDocuments({});
  }
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
