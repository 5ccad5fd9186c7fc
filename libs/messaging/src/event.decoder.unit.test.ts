import { decodeEvent, type ProtoDecoder } from './event.decoder';

const strict: ProtoDecoder<{ n: number }> = {
  decode: (input) => {
    if (input.byteLength !== 1) throw new RangeError('index out of range');
    return { n: input[0]! };
  },
};

describe('decodeEvent', () => {
  test('When the payload decodes, then the message is returned', () => {
    expect(decodeEvent(strict, Uint8Array.of(7), 'x.v1 payload is not an X')).toEqual({ n: 7 });
  });

  test('When the payload does not decode, then EVENT_UNDECODABLE is thrown, not retryable, with the cause kept', () => {
    // Act
    const decoding = () => decodeEvent(strict, Uint8Array.of(1, 2, 3), 'x.v1 payload is not an X');

    // Assert
    expect(decoding).toThrow(expect.objectContaining({ code: 'EVENT_UNDECODABLE', retryable: false, message: 'x.v1 payload is not an X', cause: expect.any(RangeError) }));
  });
});
