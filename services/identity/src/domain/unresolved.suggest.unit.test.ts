import { nameKey } from './directory.keys';
import { localPartVariants, suggestionProbe } from './unresolved.suggest';

describe('suggestions for an unresolved address', () => {
  test('When the local part is first.last, then the usual spellings of that name are probed', () => {
    const variants = localPartVariants('john.doe');
    expect(variants).toEqual(expect.arrayContaining(['john', 'doe', 'johndoe', 'jdoe', 'j.doe', 'johnd', 'doe.john', 'john_doe', 'john-doe']));
  });

  test('When the local part carries digits or a sub-address, then they are ignored', () => {
    expect(localPartVariants('john.doe2+crm')).toEqual(expect.arrayContaining(['john', 'jdoe']));
  });

  test('When display names were seen, then they are probed as names, before the local part as a name', () => {
    const probe = suggestionProbe('john.doe@contoso.com', ['Doe, John', 'Johnny']);
    expect(probe.variants).toContain('john@contoso.com');
    expect(probe.variants).not.toContain('john.doe@contoso.com');
    // "Johnny" is one word: too weak to suggest anyone by name.
    expect(probe.names).toEqual([{ key: 'doe john', reason: 'display name' }]);
    expect(suggestionProbe('anna.berg@contoso.com', []).names).toEqual([{ key: 'anna berg', reason: 'local part as name' }]);
  });

  test('When names differ in case, accents, punctuation and order, then their keys are equal', () => {
    expect(nameKey('Jöhn  DOE')).toBe(nameKey('doe, john'));
    expect(nameKey('  ')).toBe('');
  });
});
