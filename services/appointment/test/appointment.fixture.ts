// The appointment service's apply path on a real MongoDB-wire server, without NATS: the handler
// as the consumer calls it, parked invites, and a recorder in place of the event publisher.
import type { Db } from 'mongodb';
import { connectMongo, ensureIndexes, MongoConnection } from '@inviteflow/mongo';
import { testMongoUrl, uniqueSuffix } from '@inviteflow/testing';
import { HELD_MESSAGE_INDEXES, HeldMessageRepository } from '../src/data/held-message.repository';
import { MEETING_INDEXES, MeetingRepository } from '../src/data/meeting.repository';
import { OUTCOME_INDEXES, OutcomeRepository } from '../src/data/outcome.repository';
import { ParkedInviteRepository } from '../src/data/parked-invite.repository';
import { SettingsRepository } from '../src/data/settings.repository';
import type { IdentityPort } from '../src/domain/identity.port';
import type { SenderAuthSettings } from '../src/domain/sender-auth';
import { CopyPipeline } from '../src/handlers/copy.pipeline';
import { IncomingGate } from '../src/handlers/incoming.gate';
import { onInviteParsed } from '../src/handlers/invite-parsed.handler';
import type { CopyPublisher } from '../src/handlers/meeting-events.publisher';
import { ParkedInvites } from '../src/handlers/parked-invite.service';

export interface Published {
  mailId: string;
  method: string;
  associateId: string;
  saved: boolean;
  codes: string[];
}

export interface ApplyFixture {
  mongo: MongoConnection;
  meetings: MeetingRepository;
  outcomes: OutcomeRepository;
  parkedRepo: ParkedInviteRepository;
  parked: ParkedInvites;
  pipeline: CopyPipeline;
  held: HeldMessageRepository;
  /** "Manage incoming invitations" and the synchronizer preference, read for every recipient (no cache). */
  settings: SettingsRepository;
  handle: ReturnType<typeof onInviteParsed>;
  /** What the publisher was handed, per (message, copy), in order. */
  published: Published[];
  close(): Promise<void>;
}

/** `publisher`: the real publisher on the fixture's database, called after the recorder (the outbox tests). */
export async function startApplyFixture(identity: IdentityPort, ourDomains: string[], now = () => new Date('2026-03-02T12:00:00Z'), senderAuth?: SenderAuthSettings, publisher?: (db: Db) => CopyPublisher): Promise<ApplyFixture> {
  const mongo = await connectMongo({ url: testMongoUrl(), dbName: `appointment_${uniqueSuffix()}`, appName: 'appointment-test' });
  await ensureIndexes(mongo.db, [...MEETING_INDEXES, ...OUTCOME_INDEXES, ...HELD_MESSAGE_INDEXES]);
  const meetings = new MeetingRepository(mongo.db);
  const outcomes = new OutcomeRepository(mongo.db);
  const parkedRepo = new ParkedInviteRepository(mongo.db);
  const published: Published[] = [];
  const inner = publisher?.(mongo.db);
  const publishCopy: CopyPublisher = async (mailId, method, r, opts) => {
    published.push({ mailId, method, associateId: r.owner.associateId, saved: r.saved, codes: r.decisions.map((d) => d.code) });
    await inner?.(mailId, method, r, opts);
  };
  const log = { info: () => undefined };
  const held = new HeldMessageRepository(mongo.db);
  const pipeline = new CopyPipeline({ meetings, held, outcomes, publishCopy, log, now });
  const settings = new SettingsRepository(mongo.db);
  const gate = new IncomingGate({ settings, meetings, now, cacheMs: 0 });
  const parked = new ParkedInvites({ pipeline, outcomes, parked: parkedRepo, identity, gate, log, now });
  const handle = onInviteParsed({ pipeline, outcomes, identity, parked, gate, ourDomains, log, now, ...(senderAuth ? { senderAuth } : {}) });
  return {
    mongo, meetings, outcomes, parkedRepo, parked, pipeline, held, settings, handle, published,
    close: async () => {
      await mongo.db.dropDatabase();
      await mongo.close();
    },
  };
}
