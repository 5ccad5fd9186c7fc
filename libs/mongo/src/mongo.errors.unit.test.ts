import {
  MongoBulkWriteError,
  MongoNetworkError,
  MongoNetworkTimeoutError,
  MongoServerError,
  MongoServerSelectionError,
  type BulkWriteResult,
  type TopologyDescription,
} from 'mongodb';
import { AppError } from '@inviteflow/runtime';
import { isDuplicateKeyError, mapMongoError, parseDuplicateKeyMessage, withMongoErrors } from './mongo.errors';

// Shapes copied from the wire: real MongoDB 4.2+ adds keyPattern/keyValue, the stand-in
// (mongo-java-server 1.47) sends only code, codeName and errmsg (docs/mongo-stand-in.md).
const E11000 = 'E11000 duplicate key error collection: appointment.meetings index: uid_unique dup key: { uid: "u1" }';
const realServerReply = { index: 0, code: 11000, errmsg: E11000, keyPattern: { uid: 1 }, keyValue: { uid: 'u1' } };
const standInReply = { index: 0, code: 11000, codeName: 'DuplicateKey', errmsg: E11000 };

// The driver's WriteError (not exported at run time) keeps only index, code, errmsg, errInfo
// and op of the server's entry, under `.err`: keyValue is lost for bulk writes on any server.
function bulkError(): MongoBulkWriteError {
  const err = { index: 0, code: 11000, errmsg: E11000, op: { uid: 'u1' } };
  const writeError = { err, code: err.code, index: err.index, errmsg: err.errmsg };
  return new MongoBulkWriteError({ message: E11000, code: 11000, writeErrors: [writeError as never] }, {} as BulkWriteResult);
}

describe('mapMongoError', () => {
  test.each([
    ['real MongoDB', realServerReply, { uid: 'u1' }],
    ['the stand-in', standInReply, undefined],
  ])('When %s rejects a write with E11000, then it becomes an AppError DUPLICATE_KEY', (_server, reply, keyValue) => {
    const mapped = mapMongoError(new MongoServerError(reply));

    expect(mapped).toBeInstanceOf(AppError);
    expect(mapped).toMatchObject({
      code: 'DUPLICATE_KEY',
      retryable: false,
      details: { database: 'appointment', collection: 'meetings', index: 'uid_unique', keyValue },
    });
  });

  test('When a bulk write fails with E11000, then it becomes DUPLICATE_KEY from the first write error', () => {
    const mapped = mapMongoError(bulkError());

    expect(mapped).toMatchObject({ code: 'DUPLICATE_KEY', details: { collection: 'meetings', index: 'uid_unique', keyValue: undefined } });
  });

  test('When findAndModify reports E11000 behind a plan-executor prefix, then it is still DUPLICATE_KEY', () => {
    const reply = { code: 11000, codeName: 'DuplicateKey', errmsg: `Plan executor error during findAndModify :: caused by :: ${E11000}` };

    const mapped = mapMongoError(new MongoServerError(reply));

    expect(mapped).toMatchObject({ code: 'DUPLICATE_KEY', details: { index: 'uid_unique', collection: 'meetings' } });
  });

  test('When an older server uses the legacy code 11001, then it is DUPLICATE_KEY', () => {
    const mapped = mapMongoError(new MongoServerError({ code: 11001, errmsg: E11000 }));

    expect(mapped).toMatchObject({ code: 'DUPLICATE_KEY' });
  });

  test('When the message has no recognisable namespace, then the error is still DUPLICATE_KEY without details', () => {
    const mapped = mapMongoError(new MongoServerError({ code: 11000, errmsg: 'duplicate' }));

    expect(mapped).toMatchObject({ code: 'DUPLICATE_KEY' });
    expect((mapped as { details?: Record<string, unknown> }).details).not.toHaveProperty('collection');
  });

  test.each([
    ['a refused connection', new MongoNetworkError('connect ECONNREFUSED 127.0.0.1:1')],
    ['a socket timeout', new MongoNetworkTimeoutError('connection timed out')],
    ['a server-selection timeout', new MongoServerSelectionError('timed out', {} as TopologyDescription)],
    ['a primary stepping down (189)', new MongoServerError({ code: 189, errmsg: 'PrimarySteppedDown' })],
    ['a not-writable primary (10107)', new MongoServerError({ code: 10107, errmsg: 'not primary' })],
    ['a shutdown in progress (91)', new MongoServerError({ code: 91, errmsg: 'shutting down' })],
    ['an exceeded maxTimeMS (50)', new MongoServerError({ code: 50, errmsg: 'operation exceeded time limit' })],
    ['a RetryableWriteError label', new MongoServerError({ code: 999, errmsg: 'x', errorLabels: ['RetryableWriteError'] })],
  ])('When the driver reports %s, then it becomes retryable MONGO_UNAVAILABLE with the cause kept', (_label, raw) => {
    const mapped = mapMongoError(raw);

    expect(mapped).toBeInstanceOf(AppError);
    expect(mapped).toMatchObject({ code: 'MONGO_UNAVAILABLE', retryable: true, cause: raw });
  });

  test('When the server rejects a bad command, then it becomes non-retryable MONGO_FAILURE', () => {
    const raw = new MongoServerError({ code: 2, codeName: 'BadValue', errmsg: 'bad value' });

    const mapped = mapMongoError(raw);

    expect(mapped).toBeInstanceOf(AppError);
    expect(mapped).toMatchObject({ code: 'MONGO_FAILURE', retryable: false, cause: raw });
  });

  test('When the error is not from MongoDB, then it is returned unchanged', () => {
    const bug = new TypeError('undefined is not a function');

    expect(mapMongoError(bug)).toBe(bug);
    expect(mapMongoError('text')).toEqual(new TypeError('text'));
  });

  test('When an error is already mapped, then mapping it again returns the same object', () => {
    const once = mapMongoError(new MongoServerError(standInReply));

    expect(mapMongoError(once)).toBe(once);
  });

  test('When an operation wrapped by withMongoErrors fails, then the caller sees the mapped error', async () => {
    const failing = withMongoErrors(() => Promise.reject(new MongoServerError(standInReply)));

    await expect(failing).rejects.toMatchObject({ code: 'DUPLICATE_KEY' });
  });

  test('When a context is given, then the message and details name the operation', () => {
    const mapped = mapMongoError(new MongoServerError({ code: 2, errmsg: 'bad value' }), 'meetings.insertOne');

    expect(mapped).toMatchObject({ code: 'MONGO_FAILURE', message: expect.stringMatching(/^meetings\.insertOne: /), details: { operation: 'meetings.insertOne' } });
  });

  test('When asked whether an error is a duplicate key, then only a unique violation says yes', () => {
    expect(isDuplicateKeyError(new MongoServerError(standInReply))).toBe(true);
    expect(isDuplicateKeyError(new MongoServerError({ code: 2, errmsg: 'bad value' }))).toBe(false);
    expect(isDuplicateKeyError(new TypeError('bug'))).toBe(false);
  });
});

describe('parseDuplicateKeyMessage', () => {
  test('When the collection name contains dots, then the split is at the first dot', () => {
    const parsed = parseDuplicateKeyMessage(
      'E11000 duplicate key error collection: svc.mail.raw index: sha_unique dup key: { sha: "ab" }',
    );

    expect(parsed).toEqual({ database: 'svc', collection: 'mail.raw', index: 'sha_unique' });
  });
});
