import { Metadata, status } from '@grpc/grpc-js';
import { callerLine, checkCaller, parseCallers } from './grpc-callers';

const withAuth = (value?: string): Metadata => {
  const md = new Metadata();
  if (value !== undefined) md.set('authorization', value);
  return md;
};

describe('caller tokens', () => {
  const file = ['# callers of identity', '', callerLine('cli', 'cli-token'), callerLine('appointment', 'appt-token')].join('\n');

  test('When a callers file has comments, blank lines and id:sha256 lines, then each line is one caller', () => {
    const { callers, problems } = parseCallers(file);
    expect(problems).toEqual([]);
    expect(callers.map((c) => c.id)).toEqual(['cli', 'appointment']);
  });

  test('When a line is not id:sha256, then the problem names its number and never its content', () => {
    const { problems } = parseCallers(`${file}\ncli:secret-token-in-clear\n`);
    expect(problems).toEqual(['line 5 is not "id:<64 hex digits of SHA-256>"']);
    expect(problems.join()).not.toContain('secret-token-in-clear');
  });

  test('When a callers file lists nobody, then that is a problem', () => {
    expect(parseCallers('# empty\n').problems).toEqual(['no callers listed']);
  });

  test.each([
    ['Bearer appt-token', { ok: true, caller: 'appointment' }],
    ['bearer cli-token', { ok: true, caller: 'cli' }],
    ['Bearer wrong-token', { ok: false, code: status.UNAUTHENTICATED, reason: 'GRPC_UNAUTHENTICATED' }],
    ['Basic Y2xpOmNsaQ==', { ok: false, code: status.UNAUTHENTICATED }],
    [undefined, { ok: false, code: status.UNAUTHENTICATED }],
  ])('When a call says authorization %p, then the check answers %p', (header, expected) => {
    expect(checkCaller(parseCallers(file).callers, withAuth(header))).toMatchObject(expected);
  });
});
