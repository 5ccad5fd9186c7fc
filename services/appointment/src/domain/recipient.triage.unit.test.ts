import { eventsV1, identityV1 } from '@inviteflow/proto-gen';
import { isOurDomain, triageRecipients } from './recipient.triage';

const { ResolutionKind } = identityV1;
const invite = eventsV1.InviteParsed.fromPartial({
  mailId: 'm1', method: 'REQUEST', uid: 'u1',
  events: [{ attendees: [{ address: 'mailto:John.Doe@contoso.com', name: 'John Doe' }, { address: 'ann@contoso.com', name: '' }] }],
});
const res = (address: string, kind: identityV1.ResolutionKind, id = ''): identityV1.Resolution =>
  identityV1.Resolution.fromPartial({ address, normalizedAddress: address.toLowerCase(), canonicalAddress: address ? address.toLowerCase() : '', kind, associate: id ? { id, primaryAddress: 'ann@contoso.com', aliases: ['a.n@contoso.com'], timeZone: 'Europe/Oslo' } : undefined });

describe('triageRecipients', () => {
  test('When recipients are associates, unknown in our domains, or anything else, then they are applied, parked or ignored', () => {
    // Act
    const t = triageRecipients(invite, [
      res('ann@contoso.com', ResolutionKind.RESOLUTION_KIND_ASSOCIATE, 'ANN'),
      res('john.doe@contoso.com', ResolutionKind.RESOLUTION_KIND_UNKNOWN),
      res('someone@partner.example', ResolutionKind.RESOLUTION_KIND_UNKNOWN),
      res('desk@contoso.com', ResolutionKind.RESOLUTION_KIND_PERSON),
    ], ['contoso.com']);
    // Assert
    expect(t.owners).toEqual([{ associateId: 'ANN', address: 'ann@contoso.com', addresses: ['ann@contoso.com', 'a.n@contoso.com'], timeZone: 'Europe/Oslo' }]);
    expect(t.park).toEqual([{ address: 'john.doe@contoso.com', displayName: 'John Doe' }]);
    expect(t.ignored).toEqual(['someone@partner.example', 'desk@contoso.com']);
  });

  test('When a domain is a subdomain of ours, then it is ours; a look-alike is not', () => {
    expect(isOurDomain('eu.contoso.com', ['contoso.com'])).toBe(true);
    expect(isOurDomain('notcontoso.com', ['contoso.com'])).toBe(false);
  });
});
