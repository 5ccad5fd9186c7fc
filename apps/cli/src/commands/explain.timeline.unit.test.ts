import { appointmentV1, eventsV1 } from '@inviteflow/proto-gen';
import { cliError } from '../cli-output';
import { MailExplanation, explanationJson, timeline } from './explain.timeline';

const at = (s: number): Date => new Date(Date.UTC(2026, 0, 1, 9, 0, s));

function explanation(overrides: Partial<MailExplanation> = {}): MailExplanation {
  return {
    mailId: 'm-1',
    received: {
      stream: 'MAIL', seq: 3, storedAt: at(0),
      event: eventsV1.MailReceived.fromPartial({ mailId: 'm-1', envelopeFrom: 'boss@partner.example', envelopeTo: ['homer@example.org'], size: 900, sha256: 'ab'.repeat(32), messageId: '<x@partner.example>', source: 'smtp' }),
    },
    trail: {
      parsedComplete: true,
      parsed: [{ stream: 'INVITE', seq: 5, storedAt: at(1), event: eventsV1.InviteParsed.fromPartial({ mailId: 'm-1', method: 'REQUEST', uid: 'u1', events: [{}] }) }],
      outcomes: [],
      deadLetters: [],
      scans: [{ stream: 'INVITE', subjects: ['invite.parsed.v1'], from: at(0).toISOString(), matching: 9, scanned: 9, truncated: false, missingStream: false }],
    },
    appointment: appointmentV1.ExplainMailResponse.fromPartial({
      mailId: 'm-1',
      outcomes: [{
        uid: 'u1', method: 'REQUEST', outcome: 'APPLIED', meetingIds: ['HOMER|u1'], parkedFor: ['h.simpson@example.org'], recordedAt: at(2),
        recipients: [
          { address: 'homer@example.org', associateId: 'HOMER', meetingId: 'HOMER|u1', outcome: 'APPLIED', decisions: [{ code: 'APPLIED', reason: 'CREATED', detail: '', recurrenceId: '', changes: ['CREATED'] }] },
          { address: 'h.simpson@example.org', outcome: 'PARKED' },
        ],
      }],
      meetings: [{ id: 'HOMER|u1', role: 'attendee', status: 'active', sequence: 2, master: { start: at(60) }, icalendar: 'BEGIN:VCALENDAR', modelJson: '{}' }],
    }),
    ...overrides,
  };
}

describe('the explain timeline', () => {
  test('When a mail was received, parsed and applied with one recipient still parked, then the timeline says each step in order', () => {
    // Act
    const text = timeline(explanation());
    // Assert
    const lines = text.split('\n');
    expect(lines[0]).toBe('mail m-1  Message-ID <x@partner.example>');
    expect(lines[1]).toMatch(/^ {2}2026-01-01T09:00:00.000Z {2}received {2}smtp from boss@partner.example to homer@example.org; 900 bytes, sha256 abababababababab… {2}\[MAIL #3\]$/);
    expect(lines[2]).toMatch(/parsed {4}REQUEST uid u1, 1 event {2}\[INVITE #5\]$/);
    expect(lines[3]).toContain("APPLIED   REQUEST uid u1: homer@example.org (copy HOMER|u1): APPLIED CREATED [CREATED]; the copy now: attendee's, active, SEQUENCE 2, 2026-01-01T09:01:00.000Z  [appointment]");
    expect(lines[4]).toContain('PARKED    REQUEST uid u1: waits for h.simpson@example.org to become known (inviteflow unresolved)');
    expect(lines[5]).toBe('searched from 2026-01-01T09:00:00.000Z: INVITE invite.parsed.v1: 9');
  });

  test('When a mail is explained as JSON, then each recipient\'s decisions are there and the copies leave out their stored model', () => {
    // Act
    const json = explanationJson(explanation()) as { appointment: { outcomes: unknown[]; meetings: Array<Record<string, unknown>> } };
    // Assert
    expect(json.appointment.outcomes[0]).toMatchObject({ recipients: [{ address: 'homer@example.org', decisions: [{ code: 'APPLIED', changes: ['CREATED'] }] }, { outcome: 'PARKED' }] });
    expect(json.appointment.meetings[0]).toMatchObject({ id: 'HOMER|u1', role: 'attendee' });
    expect(JSON.parse(JSON.stringify(json.appointment.meetings[0]))).not.toHaveProperty('modelJson');
  });

  test('When the parser has not answered, the appointment service is down and a scan was cut short, then each gap is a note', () => {
    // Arrange
    const base = explanation();
    const e = explanation({
      trail: { ...base.trail!, parsed: [], scans: [{ ...base.trail!.scans[0]!, scanned: 5, truncated: true }] },
      appointment: { error: cliError('CLI_UNAVAILABLE', 'the appointment service at 127.0.0.1:1 is not answering') },
    });
    // Act
    const text = timeline(e);
    // Assert
    expect(text).toMatch(/note: no parser outcome yet/);
    expect(text).toMatch(/note: what the appointment service did is unknown: the appointment service at 127\.0\.0\.1:1 is not answering/);
    expect(text).toMatch(/INVITE invite\.parsed\.v1: 5 of 9 \(TRUNCATED: raise --scan-limit\)/);
    expect(explanationJson(e)).toMatchObject({ parser: { result: 'none' }, appointment: { error: expect.stringMatching(/not answering/) } });
  });
});
