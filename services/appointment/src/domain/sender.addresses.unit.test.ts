import { eventsV1, identityV1 } from '@inviteflow/proto-gen';
import { senderAddressesOf, senderHeaderAddresses } from './sender.addresses';

const { ResolutionKind } = identityV1;

describe('sender addresses', () => {
  test('When a mail has From and Sender, then both are its authors, lowercased once each', () => {
    const invite = eventsV1.InviteParsed.fromPartial({ mail: { from: 'Lenny@Partner.Example', sender: 'assistant@partner.example', envelopeFrom: 'bounce@mailer.example' } });
    expect(senderHeaderAddresses(invite)).toEqual(['lenny@partner.example', 'assistant@partner.example']);
  });

  test('When the sender resolves to a person or an associate, then every address they hold counts as theirs', () => {
    const resolutions = [
      identityV1.Resolution.fromPartial({ address: 'lenny@partner.example', normalizedAddress: 'lenny@partner.example', kind: ResolutionKind.RESOLUTION_KIND_PERSON, person: { id: 'P1', addresses: ['lenny@partner.example', 'l.leonard@partner.example'] } }),
      identityV1.Resolution.fromPartial({ address: 'marge@example.org', normalizedAddress: 'marge@example.org', kind: ResolutionKind.RESOLUTION_KIND_ASSOCIATE, associate: { id: 'A1', primaryAddress: 'marge@example.org', aliases: ['M.Simpson@example.org'] } }),
    ];
    expect(senderAddressesOf(['lenny@partner.example', 'marge@example.org'], resolutions).sort()).toEqual(['l.leonard@partner.example', 'lenny@partner.example', 'm.simpson@example.org', 'marge@example.org']);
  });

  test('When nobody resolves, then only the header addresses count', () => {
    const unknown = identityV1.Resolution.fromPartial({ address: 'x@y.example', normalizedAddress: 'x@y.example', kind: ResolutionKind.RESOLUTION_KIND_UNKNOWN });
    expect(senderAddressesOf(['x@y.example'], [unknown])).toEqual(['x@y.example']);
  });
});
