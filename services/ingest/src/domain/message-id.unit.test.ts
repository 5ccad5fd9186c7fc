import { HEADER_SCAN_LIMIT, HeaderBlock, readMessageId } from './message-id';

describe('readMessageId', () => {
  test('When the Message-ID header is folded, then it is read unfolded', () => {
    expect(readMessageId(Buffer.from('Subject: x\r\nMessage-ID:\r\n <a@b.example>\r\n\r\nMessage-ID: <body@x>'))).toBe('<a@b.example>');
  });

  test('When Message-ID only appears in the body, then it is not read', () => {
    expect(readMessageId(Buffer.from('Subject: x\r\n\r\nMessage-ID: <body@x>\r\n'))).toBe('');
  });
});

describe('HeaderBlock', () => {
  test('When the header block arrives split across chunks, then it completes at the blank line and gives the Message-ID', () => {
    const block = new HeaderBlock();

    expect(block.add(Buffer.from('Message-ID: <split@exa'))).toBe(false);
    expect(block.add(Buffer.from('mple.org>\r\nSubject: x\r'))).toBe(false);
    expect(block.add(Buffer.from('\n\r\nbody, and more body'))).toBe(true);

    expect(block.messageId()).toBe('<split@example.org>');
  });

  test('When no blank line comes, then it stops keeping bytes at the scan limit', () => {
    const block = new HeaderBlock();
    const chunk = Buffer.alloc(100 * 1024, 'a');

    const completions = [block.add(chunk), block.add(chunk), block.add(chunk), block.add(chunk)];

    expect(completions).toEqual([false, false, true, true]);
    expect(block.keptBytes).toBe(HEADER_SCAN_LIMIT);
  });
});
