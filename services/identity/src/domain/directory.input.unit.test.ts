import { DEFAULT_POLICIES } from './address.policy';
import { validateAssociate, validatePerson } from './directory.input';

const ok = { name: 'John Doe', primaryAddress: 'John@Contoso.com', aliases: [] as string[], timeZone: '', locale: 'en-gb', group: 'Sales' };

describe('directory input', () => {
  test('When an associate is valid, then addresses are normalised, the zone defaults to UTC and the locale is canonical', () => {
    const v = validateAssociate({ ...ok, aliases: ['john+x@contoso.com', 'jd@contoso.com', 'JD@contoso.com'] }, DEFAULT_POLICIES);
    expect(v.primary).toEqual({ address: 'john@contoso.com', key: 'john@contoso.com', field: 'primary_address' });
    // john+x is the primary's mailbox and JD the same as jd: neither is a separate alias.
    expect(v.aliases.map((a) => a.address)).toEqual(['jd@contoso.com']);
    expect(v.timeZone).toBe('UTC');
    expect(v.locale).toBe('en-GB');
  });

  test.each([
    [{ ...ok, name: ' ' }, 'INVALID_ARGUMENT', 'name'],
    [{ ...ok, primaryAddress: '' }, 'INVALID_ADDRESS', 'primary_address'],
    [{ ...ok, primaryAddress: 'john' }, 'INVALID_ADDRESS', 'primary_address'],
    [{ ...ok, aliases: ['ok@contoso.com', 'bad@'] }, 'INVALID_ADDRESS', 'aliases[1]'],
    [{ ...ok, timeZone: 'Mars/Olympus' }, 'INVALID_ARGUMENT', 'time_zone'],
    [{ ...ok, locale: 'not a locale!' }, 'INVALID_ARGUMENT', 'locale'],
  ])('When an associate has a bad field (%#), then it is refused with %s naming %s', (input, code, field) => {
    expect(() => validateAssociate(input, DEFAULT_POLICIES)).toThrow(expect.objectContaining({ code, details: { field }, message: expect.stringMatching(new RegExp(`^${field.replace(/[[\]]/g, '\\$&')}: `)) }));
  });

  test('When a person has neither name nor address, then it is refused; with only a name it is fine', () => {
    expect(() => validatePerson({ name: '', company: '', addresses: [] }, DEFAULT_POLICIES)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(validatePerson({ name: 'Front desk', company: 'Bakery', addresses: [] }, DEFAULT_POLICIES).addresses).toEqual([]);
  });
});
