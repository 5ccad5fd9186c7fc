import { uidSet } from './uid-set';

describe('uid set', () => {
  test('When UIDs run consecutively, then each run becomes one range', () => {
    expect(uidSet([1, 2, 3, 7, 9, 10])).toBe('1:3,7,9:10');
  });

  test('When UIDs come unsorted or repeated, then the set is sorted and names each once', () => {
    expect(uidSet([12, 4, 5, 12, 3])).toBe('3:5,12');
  });

  test('When there is one UID or none, then the set is that UID or empty', () => {
    expect(uidSet([42])).toBe('42');
    expect(uidSet([])).toBe('');
  });
});
