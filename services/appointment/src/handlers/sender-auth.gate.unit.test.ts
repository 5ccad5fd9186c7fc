import { ENFORCE_SENDER_AUTH, warnUnlessEnforced } from './sender-auth.gate';

function warnings(settings: Parameters<typeof warnUnlessEnforced>[0]): Array<{ fields: object; message?: string }> {
  const seen: Array<{ fields: object; message?: string }> = [];
  warnUnlessEnforced(settings, { warn: (fields, message) => void seen.push({ fields, message }) });
  return seen;
}

describe('the sender check at boot (issue 15: off is explicit and logged)', () => {
  test('When every domain is enforced, then nothing is logged', () => {
    expect(warnings(ENFORCE_SENDER_AUTH)).toEqual([]);
  });

  test('When the default is record-only, then one SENDER_AUTH_RECORD_ONLY warning says every domain', () => {
    const seen = warnings({ defaultMode: 'record-only', domains: {} });
    expect(seen).toEqual([{ fields: expect.objectContaining({ code: 'SENDER_AUTH_RECORD_ONLY' }), message: expect.stringContaining('every From domain') }]);
  });

  test('When one partner domain is record-only, then the warning names it and not the enforced ones', () => {
    const seen = warnings({ defaultMode: 'enforce', domains: { 'partner.example': 'record-only', 'strict.example': 'enforce' } });
    expect(seen).toHaveLength(1);
    expect(seen[0]!.message).toContain('partner.example');
    expect(seen[0]!.message).not.toContain('strict.example');
  });
});
