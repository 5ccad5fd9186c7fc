import { simpleParser } from 'mailparser';
import { isAppError } from '@inviteflow/runtime';
import { renderOutboundMail } from './render-mail';
import { command, GUEST, MARGE, OPTIONS, reply } from './render.fixture';
import type { RenderOptions } from './render.types';
import { mimeTree, shape } from './mime-tree.support';

const LINKS = { accept: 'https://rsvp.example/r?t=a&x=1', tentative: 'https://rsvp.example/r?t=t', decline: 'https://rsvp.example/r?t=d' };
const withLinks: RenderOptions = { ...OPTIONS, rsvpLinks: () => LINKS };

describe('renderOutboundMail: the message (RFC 6047)', () => {
  test('When a REQUEST is rendered, then it is multipart/mixed holding multipart/alternative (text, HTML, text/calendar; method=REQUEST) and invite.ics as application/ics', async () => {
    // Act
    const mail = await renderOutboundMail(command(), GUEST.address, OPTIONS);
    // Assert
    const tree = mimeTree(mail.raw.toString('utf8'));
    expect(shape(tree)).toEqual(['multipart/mixed', [['multipart/alternative', ['text/plain', 'text/html', 'text/calendar']], 'application/ics (attachment)']]);
    expect(tree.children[0]!.children[2]!.params).toMatchObject({ method: 'REQUEST', charset: 'utf-8' });
    expect(tree.children[1]!.params).toMatchObject({ name: 'invite.ics' });
    expect(mail.raw.toString('latin1')).not.toMatch(/(?<!\r)\n/); // CRLF line ends only
  });

  test('When any message is parsed by mailparser, then headers, both calendar copies and the bodies come back as rendered', async () => {
    // Arrange
    const mail = await renderOutboundMail(command(), GUEST.address, withLinks);
    // Act
    const parsed = await simpleParser(mail.raw);
    // Assert
    expect(parsed.messageId).toBe(mail.messageId);
    expect(parsed.subject).toBe('Updated invitation: Bakery <tasting> & plans');
    expect(parsed.from?.value).toEqual([{ address: MARGE.address, name: MARGE.name }]);
    expect(parsed.to).toMatchObject({ value: [{ address: GUEST.address, name: GUEST.name }] });
    expect(parsed.attachments.map((a) => [a.contentType, a.filename ?? '', a.content.toString('utf8')])).toEqual([
      ['text/calendar', '', mail.calendar], ['application/ics', 'invite.ics', mail.calendar],
    ]);
    expect(parsed.text).toContain('Accept: https://rsvp.example/r?t=a&x=1');
    expect(parsed.html).toContain('<a href="https://rsvp.example/r?t=a&amp;x=1">Accept</a>');
  });

  test('When the same command is rendered twice, then the Message-ID and every byte are the same; another recipient gets another Message-ID', async () => {
    // Act
    const first = await renderOutboundMail(command(), GUEST.address, OPTIONS);
    const again = await renderOutboundMail(command(), GUEST.address, { ...OPTIONS, now: () => new Date('2027-01-01T00:00:00Z') });
    const other = await renderOutboundMail(command(), 'someone@partner.example', OPTIONS);
    // Assert
    expect(first.messageId).toMatch(/^<[0-9a-f]{40}@inviteflow\.test>$/);
    expect(again.messageId).toBe(first.messageId);
    expect(again.raw.equals(first.raw)).toBe(true);
    expect(other.messageId).not.toBe(first.messageId);
  });

  test('When the From policy is the service address, then From is the service (naming the organizer), Sender and Reply-To the organizer, and the envelope the service', async () => {
    // Act
    const mail = await renderOutboundMail(command(), GUEST.address, { ...OPTIONS, from: { kind: 'service', address: 'calendar@inviteflow.test', name: 'Inviteflow' } });
    const parsed = await simpleParser(mail.raw);
    // Assert
    expect(parsed.from?.value).toEqual([{ address: 'calendar@inviteflow.test', name: 'Marge Simpson (Inviteflow)' }]);
    expect(parsed.headers.get('sender')).toMatchObject({ value: [{ address: MARGE.address, name: MARGE.name }] });
    expect(parsed.replyTo?.value).toEqual([{ address: MARGE.address, name: MARGE.name }]);
    expect(mail.envelope).toEqual({ from: 'calendar@inviteflow.test', to: [GUEST.address] });
  });

  test('When the organizer policy renders a REPLY, then it comes from the answering attendee and goes to the organizer', async () => {
    // Act
    const mail = await renderOutboundMail(reply('ACCEPTED'), MARGE.address, OPTIONS);
    const parsed = await simpleParser(mail.raw);
    // Assert
    expect(parsed.from?.value).toEqual([{ address: GUEST.address, name: GUEST.name }]);
    expect(mail.envelope).toEqual({ from: GUEST.address, to: [MARGE.address] });
    expect(parsed.subject).toBe('Accepted: Bakery <tasting> & plans');
  });

  test('When RSVP links are offered, then only a REQUEST carries them (text and HTML)', async () => {
    // Act
    const request = await simpleParser((await renderOutboundMail(command(), GUEST.address, withLinks)).raw);
    const cancel = await simpleParser((await renderOutboundMail(command({ method: 'CANCEL', reason: 'MEETING_CANCELLED' }), GUEST.address, withLinks)).raw);
    // Assert
    for (const href of Object.values(LINKS)) expect(request.text).toContain(href);
    expect(request.html).toContain('>Maybe</a>');
    expect(cancel.text).not.toContain('rsvp.example');
    expect(cancel.html).not.toContain('rsvp.example');
  });

  test('When names, summary and links hold markup, then the HTML part escapes them and makes no link of a javascript: URL', async () => {
    // Arrange
    const evil: RenderOptions = { ...OPTIONS, rsvpLinks: () => ({ ...LINKS, decline: 'javascript:alert(1)' }) };
    // Act
    const parsed = await simpleParser((await renderOutboundMail(command(), GUEST.address, evil)).raw);
    // Assert
    expect(parsed.html).toContain('Bakery &lt;tasting&gt; &amp; plans');
    expect(parsed.html).not.toContain('<tasting>');
    expect(parsed.html).not.toContain('href="javascript:');
    expect(parsed.html).toContain('Bring the figures.<br>');
  });

  test('When a command was queued before structured events existed, then it is rendered from its summary fields', async () => {
    // Act
    const mail = await renderOutboundMail(command({ events: [], start: new Date('2026-03-10T08:00:00Z'), end: new Date('2026-03-10T09:00:00Z'), summary: 'Old' }), GUEST.address, OPTIONS);
    // Assert
    expect(mail.calendar).toContain('DTSTART;TZID=Europe/Oslo:20260310T090000');
    expect(mail.calendar.replace(/\r\n /g, '')).toMatch(/^ATTENDEE;.*PARTSTAT=NEEDS-ACTION;RSVP=TRUE:MAILTO:guest@partner\.example\r$/m);
  });

  test.each([
    ['an unknown method', command({ method: 'FORWARD' }), GUEST.address],
    ['no UID', command({ uid: '' }), GUEST.address],
    ['no event and no start', command({ events: [], start: undefined }), GUEST.address],
    ['a recipient that is no address', command(), 'guest'],
  ])('When the command has %s, then rendering fails as RENDER_FAILED, not retryable', async (_what, cmd, recipient) => {
    // Act
    const error = await renderOutboundMail(cmd, recipient, OPTIONS).catch((e: unknown) => e);
    // Assert
    expect(isAppError(error) && [error.code, error.retryable]).toEqual(['RENDER_FAILED', false]);
  });
});
