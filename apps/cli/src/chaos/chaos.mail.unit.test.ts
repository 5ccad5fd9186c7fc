import { simpleParser } from 'mailparser';
import { chaosInvitation } from './chaos.mail';

describe('the invitations ./dev chaos sends', () => {
  test('When one is built with a file, then it is multipart/mixed with the REQUEST calendar and the file of that size, intact', async () => {
    // Act
    const inv = chaosInvitation('run1', 7, 'organizer@partner.example', 'load-000@chaos.test', 300 * 1024);
    const mail = await simpleParser(inv.raw);

    // Assert: 300 KiB past RAW_INLINE_MAX_BYTES' default (256 KiB), so it takes the object store's path
    expect(inv.raw.length).toBeGreaterThan(256 * 1024);
    const calendar = mail.attachments.find((a) => a.contentType === 'text/calendar');
    expect(calendar?.content.toString('utf8')).toContain('UID:chaos-run1-7');
    expect(calendar?.content.toString('utf8')).toContain('METHOD:REQUEST');
    const file = mail.attachments.find((a) => a.contentType === 'application/pdf');
    expect({ filename: file?.filename, size: file?.content.length }).toEqual({ filename: 'agenda-7.pdf', size: 300 * 1024 });
  });

  test('When one is built without a file, then it is a single text/calendar part', async () => {
    const inv = chaosInvitation('run1', 8, 'organizer@partner.example', 'load-000@chaos.test');
    const mail = await simpleParser(inv.raw);
    expect(mail.attachments.map((a) => a.contentType)).toEqual(['text/calendar']);
    expect(inv.raw.length).toBeLessThan(2048);
  });
});
