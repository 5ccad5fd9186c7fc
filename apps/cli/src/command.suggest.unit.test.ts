import { exitCodeOf } from './cli-errors';
import { nearestWord, unknownWordError } from './command.suggest';

const COMMANDS = ['directory', 'diary', 'people', 'alias', 'resolve', 'unresolved', 'send', 'parse', 'status', 'explain', 'dlq', 'cluster'];

describe('"did you mean" for mistyped commands', () => {
  test.each([
    ['diray', 'diary'],
    ['stauts', 'status'],
    ['pares', 'parse'],
    ['explian', 'explain'],
    ['Diary', 'diary'],
    ['unresovled', 'unresolved'],
  ])('When %s is typed, then %s is suggested', (typed, expected) => {
    expect(nearestWord(typed, COMMANDS)).toBe(expected);
  });

  test('When the word is nothing like a command, then nothing is suggested', () => {
    expect(nearestWord('frobnicate', COMMANDS)).toBeUndefined();
    expect(nearestWord('x', [])).toBeUndefined();
  });

  test('When a command is unknown, then the error names it and the nearest one, and exits 2', () => {
    // Act
    const err = unknownWordError('command', 'diray', COMMANDS);

    // Assert
    expect(err.message).toBe("unknown command 'diray'; did you mean 'diary'?");
    expect(err.code).toBe('CLI_UNKNOWN_COMMAND');
    expect(exitCodeOf(err)).toBe(2);
  });

  test('When a sub-command is unknown, then the error names the command with it', () => {
    expect(unknownWordError('sub-command', 'lsit', ['list', 'replay'], 'dlq').message).toBe("unknown sub-command 'dlq lsit'; did you mean 'dlq list'?");
    expect(unknownWordError('command', 'frobnicate', ['diary', 'send']).message).toBe("unknown command 'frobnicate'; known: diary, send");
  });
});
