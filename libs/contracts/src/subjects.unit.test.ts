import { CONSUMERS, STREAMS, SUBJECTS, deadLetterSubject } from './index';

const SUBJECT_SHAPE = /^[a-z-]+(\.[a-z-]+)+\.v\d+$/;

describe('subjects', () => {
  test.each(Object.entries(SUBJECTS))('%s follows <domain>.<event>.v<major>', (_name, subject) => {
    expect(subject).toMatch(SUBJECT_SHAPE);
  });

  test('every subject is captured by exactly one stream', () => {
    for (const subject of Object.values(SUBJECTS)) {
      const owners = Object.values(STREAMS).filter((s) =>
        s.subjects.some((pattern) => pattern.endsWith('.>') && subject.startsWith(pattern.slice(0, -1))),
      );
      expect(owners.map((s) => s.name)).toHaveLength(1);
    }
  });

  test('every consumer filters a subject of its own stream', () => {
    for (const consumer of Object.values(CONSUMERS)) {
      const stream = Object.values(STREAMS).find((s) => s.name === consumer.stream);
      expect(stream).toBeDefined();
      expect(stream!.subjects.some((p) => consumer.filterSubject.startsWith(p.slice(0, -1)))).toBe(true);
    }
  });

  test('a dead letter keeps the original subject and lands in the DLQ stream', () => {
    expect(deadLetterSubject(SUBJECTS.inviteParsedV1)).toBe('dlq.invite.parsed.v1');
    expect(STREAMS.deadLetter.subjects[0]).toBe('dlq.>');
  });
});
