import type { AppointmentState } from '../domain/appointment';
import { describeOutcome } from '../handlers/invite.applier';
import { toInviteOutcome } from './explain-mail.rpc';

const homer = { associateId: 'HOMER', uid: 'u1', recurrenceId: '' } as AppointmentState;

describe('what ExplainMail says an invitation waits for', () => {
  test('When an invite is parked for two addresses, then both come back as parked_for', () => {
    // Arrange: the outcome exactly as the handler records it
    const outcome = describeOutcome({ plan: { kind: 'skip', reason: 'NO_KNOWN_RECIPIENT', detail: 'x' }, results: [] }, ['a@example.org', 'b@example.org']);
    // Act
    const explained = toInviteOutcome({ _id: 'm|u1', mailId: 'm', uid: 'u1', method: 'REQUEST', recordedAt: new Date(0), ...outcome });
    // Assert
    expect(outcome.outcome).toBe('PARKED');
    expect(explained.parkedFor).toEqual(['a@example.org', 'b@example.org']);
  });

  test('When an invite is applied for one recipient and parked for another, then the parked one is named', () => {
    // Arrange
    const outcome = describeOutcome({ plan: { kind: 'apply', states: [homer] }, results: ['HOMER|u1|=created'] }, ['h.simpson@example.org']);
    // Act
    const explained = toInviteOutcome({ _id: 'm|u1', mailId: 'm', uid: 'u1', method: 'REQUEST', recordedAt: new Date(0), ...outcome });
    // Assert
    expect(explained).toMatchObject({ outcome: 'APPLIED', appointmentIds: ['HOMER|u1|'], parkedFor: ['h.simpson@example.org'] });
  });

  test('When nothing is parked, then parked_for is empty', () => {
    // Arrange
    const outcome = describeOutcome({ plan: { kind: 'apply', states: [homer] }, results: ['HOMER|u1|=created'] }, []);
    // Act
    const explained = toInviteOutcome({ _id: 'm|u1', mailId: 'm', uid: 'u1', method: 'REQUEST', recordedAt: new Date(0), ...outcome });
    // Assert
    expect(explained.parkedFor).toEqual([]);
  });
});
