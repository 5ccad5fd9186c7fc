import { acceptsRecipient } from './recipient.policy';

describe('acceptsRecipient', () => {
  const domains = ['contoso.com', 'fabrikam.no'];
  test.each([
    ['john@contoso.com', true],
    ['John@CONTOSO.COM', true],
    ['ops@eu.contoso.com', true],
    ['john@contoso.com.', true],
    ['john@notcontoso.com', false],
    ['john@gmail.com', false],
    ['contoso.com', false],
  ])('When mail is for %s, then accepted is %s', (address, expected) => {
    expect(acceptsRecipient(address, domains)).toBe(expected);
  });
});
