import { DEAD_LETTER_HEADERS, SUBJECTS } from '@inviteflow/contracts';
import { eventsV1 } from '@inviteflow/proto-gen';
import { headers } from '@nats-io/nats-core';
import { originalSubjectOf, toDeadLetter } from './dead-letter.record';
import { bareMessageId, mailIdOf } from './event.mail-id';

describe('reading a dead letter', () => {
  test('When a dead letter carries the messaging layer\'s headers and a decodable payload, then every field and the mail id are read', () => {
    // Arrange
    const h = headers();
    h.set(DEAD_LETTER_HEADERS.code, 'IDENTITY_UNAVAILABLE');
    h.set(DEAD_LETTER_HEADERS.reason, 'identity did not answer');
    h.set(DEAD_LETTER_HEADERS.deliveries, '6');
    h.set(DEAD_LETTER_HEADERS.stream, 'INVITE');
    h.set(DEAD_LETTER_HEADERS.consumer, 'appointment');
    const data = eventsV1.InviteParsed.encode({ mailId: 'm-1', method: 'REQUEST', uid: 'u', events: [], warnings: [] }).finish();

    // Act
    const letter = toDeadLetter({ seq: 7, subject: 'dlq.invite.parsed.v1', time: new Date('2026-01-01T00:00:00Z'), headers: h, data });

    // Assert
    expect(letter).toEqual({
      seq: 7, originalSubject: 'invite.parsed.v1', code: 'IDENTITY_UNAVAILABLE', reason: 'identity did not answer', deliveries: 6,
      stream: 'INVITE', consumer: 'appointment', at: '2026-01-01T00:00:00.000Z', mailId: 'm-1', bytes: data.byteLength,
    });
  });

  test('When the payload does not decode or its subject has no mail id, then the mail id is null, not a guess', () => {
    // Act / Assert
    expect(mailIdOf(SUBJECTS.inviteParsedV1, Uint8Array.from([0xff, 0xff, 0xff]))).toBeUndefined();
    expect(mailIdOf(SUBJECTS.identityChangedV1, eventsV1.IdentityChanged.encode({ addresses: ['a@x.org'], entityId: 'e', change: 'c' }).finish())).toBeUndefined();
    expect(toDeadLetter({ seq: 1, subject: 'dlq.invite.parsed.v1', time: new Date(0), headers: undefined, data: new Uint8Array() })).toMatchObject({ mailId: null, code: '', deliveries: 0 });
  });

  test('When a subject is not under the dead-letter prefix, then it has no original subject', () => {
    expect(originalSubjectOf('dlq.mail.received.v1')).toBe('mail.received.v1');
    expect(originalSubjectOf('mail.received.v1')).toBe('');
  });

  test('When a Message-ID is given with or without angle brackets, then both compare equal', () => {
    expect(bareMessageId(' <abc@example.org> ')).toBe('abc@example.org');
    expect(bareMessageId('abc@example.org')).toBe('abc@example.org');
  });
});
