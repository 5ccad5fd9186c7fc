// `--preload N`: N stored meetings before the load, written straight into the appointment
// service's `meetings` collection. Each is a copy of one the service itself stored (through
// its codec, services/appointment/src/data/meeting.codec.ts) with its UID replaced, so the
// shape is exactly what the service writes and reads.
import { BSON, MongoClient, type Collection, type Document } from 'mongodb';

const BATCH = 1000;

export async function countMeetings(mongoUrl: string, db: string): Promise<number> {
  // The `count` command: the stand-in answers it from the collection's size, where
  // countDocuments would read and decode every stored meeting.
  return withMongo(mongoUrl, (client) => client.db(db).collection('meetings').estimatedDocumentCount());
}

/** Inserts `count` copies of the meeting stored for `templateUid`, UIDs `${prefix}-<i>`; returns the ms it took. */
export async function preloadMeetings(mongoUrl: string, db: string, templateUid: string, prefix: string, count: number, say: (m: string) => void): Promise<number> {
  return withMongo(mongoUrl, async (client) => {
    const meetings = client.db(db).collection('meetings');
    const template = await storedTemplate(meetings, templateUid);
    // Extended JSON keeps every BSON type (dates stay dates) through the text replacement.
    const json = BSON.EJSON.stringify(template, { relaxed: false });
    const started = Date.now();
    for (let from = 0; from < count; from += BATCH) {
      const docs: Document[] = [];
      for (let i = from; i < Math.min(count, from + BATCH); i++) docs.push(BSON.EJSON.parse(json.split(templateUid).join(`${prefix}-${i}`), { relaxed: false }) as Document);
      await insertBatch(meetings, docs);
      if ((from / BATCH) % 20 === 19) say(`preloaded ${from + BATCH} meetings`);
    }
    return Date.now() - started;
  });
}

/** The warm-up's meeting once it is stored (a busy machine may take a while to apply it). */
async function storedTemplate(meetings: Collection, uid: string): Promise<Document> {
  const deadline = Date.now() + 180_000;
  for (;;) {
    const found = await meetings.findOne({ uid });
    if (found) return found;
    if (Date.now() > deadline) throw new TypeError(`no stored meeting for ${uid} to copy after 180 s`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/**
 * One batch, tried again if the connection drops (a stand-in busy with a long GC pause on a
 * loaded machine); documents a failed try already wrote come back as duplicate keys (11000).
 */
async function insertBatch(meetings: Collection, docs: Document[]): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await meetings.insertMany(docs, { ordered: false });
      return;
    } catch (err) {
      const e = err as { writeErrors?: Array<{ code?: number }> | { code?: number } };
      const writeErrors = Array.isArray(e.writeErrors) ? e.writeErrors : e.writeErrors ? [e.writeErrors] : [];
      if (writeErrors.length > 0 && writeErrors.every((w) => w.code === 11000)) return;
      if (attempt >= 5) throw err;
      await new Promise((r) => setTimeout(r, 2000 * attempt));
    }
  }
}

async function withMongo<T>(url: string, fn: (client: MongoClient) => Promise<T>): Promise<T> {
  // Generous timeouts: the stand-in may pause for seconds under a preload on a busy machine.
  const client = await MongoClient.connect(url, { serverSelectionTimeoutMS: 60_000, connectTimeoutMS: 120_000, socketTimeoutMS: 0 });
  try {
    return await fn(client);
  } finally {
    await client.close();
  }
}
