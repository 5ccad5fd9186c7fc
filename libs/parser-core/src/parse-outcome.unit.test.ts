import { describeOutcome, ignored, rejected, type ParseOutcome } from './parse-outcome';

describe('describing an outcome', () => {
  test.each<[ParseOutcome, string]>([
    [{ kind: 'parsed', invites: [] }, 'parsed:'],
    [ignored('DELIVERY_STATUS_NOTIFICATION', 'bounce'), 'ignored:DELIVERY_STATUS_NOTIFICATION'],
    [rejected('MISSING_UID', 'no UID'), 'rejected:MISSING_UID'],
  ])('When the outcome is %j, then it is described as %s', (outcome, expected) => {
    expect(describeOutcome(outcome)).toBe(expected);
  });
});
