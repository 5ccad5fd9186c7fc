import { corpusBytes, corpusManifest } from '@inviteflow/testing';
import { mimeDepth } from './mime-depth';

/** `depth` multiparts, each the only child of the one around it, with a text part at the bottom. */
export function nestedMail(depth: number): Buffer {
  let body = 'Content-Type: text/plain\r\n\r\nbottom\r\n';
  for (let level = depth; level >= 1; level--) {
    body = `Content-Type: multipart/mixed;\r\n boundary="b${level}"\r\n\r\n--b${level}\r\n${body}--b${level}--\r\n`;
  }
  return Buffer.from(`From: a@example.org\r\nMIME-Version: 1.0\r\n${body}`);
}

describe('multipart nesting depth (RFC 2046 §5.1.1)', () => {
  test.each([0, 1, 5, 40])('When multiparts nest %i deep, then the depth is %i', (depth) => {
    expect(mimeDepth(nestedMail(depth), 1000)).toBe(depth);
  });

  test('When siblings follow each other, then they do not add depth', () => {
    const parts = Array.from({ length: 50 }, () => '--outer\r\nContent-Type: text/plain\r\n\r\nx\r\n').join('');
    const raw = Buffer.from(`Content-Type: multipart/mixed; boundary=outer\r\n\r\n${parts}--outer--\r\n`);

    expect(mimeDepth(raw, 1000)).toBe(1);
  });

  test('When a message/rfc822 part holds a multipart, then its depth counts', () => {
    const inner = 'Content-Type: multipart/alternative; boundary=in\r\n\r\n--in\r\nContent-Type: text/plain\r\n\r\nx\r\n--in--\r\n';
    const raw = Buffer.from(`Content-Type: multipart/mixed; boundary=out\r\n\r\n--out\r\nContent-Type: message/rfc822\r\n\r\n${inner}--out--\r\n`);

    expect(mimeDepth(raw, 1000)).toBe(2);
  });

  test('When the scan passes the stop depth, then it stops there', () => {
    expect(mimeDepth(nestedMail(500), 10)).toBe(11);
  });

  test('When the corpus mails are scanned, then none nests deeper than 4', () => {
    const depths = corpusManifest().filter((e) => e.file.endsWith('.eml')).map((e) => mimeDepth(corpusBytes(e.file), 100));

    expect(Math.max(...depths)).toBeLessThanOrEqual(4);
  });
});
