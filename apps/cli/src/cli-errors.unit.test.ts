import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '@inviteflow/runtime';
import { CLI_ERROR_CODES, cliError, EXIT, exitCodeOf, isCliError } from './cli-errors';

const ERROR_CODES_DOC = readFileSync(join(__dirname, '../../../docs/error-codes.md'), 'utf8');

describe('the CLI errors and their exit codes', () => {
  test.each([
    ['CLI_USAGE', 2],
    ['CLI_UNKNOWN_COMMAND', 2],
    ['CLI_FILE_UNREADABLE', 2],
    ['CLI_UNAVAILABLE', 3],
    ['CLI_NOT_FOUND', 4],
    ['CLI_PARTLY_FAILED', 1],
  ] as const)('When a command fails with %s, then the CLI exits %i as the README documents', (code, exit) => {
    const err = cliError(code, 'because');
    expect(err).toBeInstanceOf(AppError);
    expect(isCliError(err)).toBe(true);
    expect(exitCodeOf(err)).toBe(exit);
  });

  test('When the failure is not one of the CLI codes, then the exit code is 1', () => {
    expect(exitCodeOf(new AppError({ code: 'MONGO_FAILURE', message: 'x', retryable: false }))).toBe(EXIT.partial);
    expect(exitCodeOf(new Error('boom'))).toBe(EXIT.partial);
  });

  test('When only "not reachable" is raised, then it is the one marked retryable', () => {
    expect(Object.values(CLI_ERROR_CODES).filter((code) => cliError(code, 'x').retryable)).toEqual(['CLI_UNAVAILABLE']);
  });

  test.each(Object.values(CLI_ERROR_CODES))('When %s is defined, then docs/error-codes.md has a row for it', (code) => {
    expect(ERROR_CODES_DOC).toMatch(new RegExp(`^\\| \`${code}\` \\|`, 'm'));
  });
});
