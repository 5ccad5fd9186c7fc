import { buildImipMessage, buildPostfixDsn, corpusBytes, TEST_CONTEXT } from '@inviteflow/testing';
import { parseMail } from './parse-mail';
import { fieldBlocks } from './dsn-report';

const invitation = buildImipMessage({
  uid: 'tasting-1@inviteflow.test', organizer: 'homer@example.org', attendees: ['info@bakery.example.com'],
  start: new Date('2026-03-17T08:00:00Z'), durationMinutes: 30, sequence: 2, summary: 'Bakery tasting',
});

describe('delivery status notifications (RFC 3464) at ingest', () => {
  test('Given a Postfix bounce of one of our invitations, when it is parsed, then it stays ignored and names the failed recipient, Message-ID and UID', async () => {
    // Arrange
    const dsn = buildPostfixDsn({ to: 'homer@example.org', failedRecipient: 'info@bakery.example.com', original: invitation });
    // Act
    const outcome = await parseMail(dsn, TEST_CONTEXT);
    // Assert
    expect(outcome).toMatchObject({ kind: 'ignored', reasonCode: 'DELIVERY_STATUS_NOTIFICATION' });
    if (outcome.kind !== 'ignored') throw new Error('expected ignored');
    expect(outcome.bounce).toEqual({
      reportingMta: 'mx.bakery.example.com',
      failed: [{ recipient: 'info@bakery.example.com', status: '5.1.1', diagnostic: expect.stringMatching(/^smtp; 550 5\.1\.1 <info@bakery\.example\.com>: Recipient address rejected: User unknown/) }],
      original: { messageId: '<tasting-1@inviteflow.test@tests.inviteflow>', uid: 'tasting-1@inviteflow.test', method: 'REQUEST', sequence: 2 },
    });
    expect(outcome.detail).toMatch(/failed: info@bakery\.example\.com 5\.1\.1; returned <tasting-1@inviteflow\.test@tests\.inviteflow> UID tasting-1@inviteflow\.test/);
  });

  test('Given a bounce that returns only the headers (RET=HDRS), when it is parsed, then the Message-ID is known and the UID is not', async () => {
    const dsn = buildPostfixDsn({ to: 'homer@example.org', failedRecipient: 'info@bakery.example.com', original: invitation, headersOnly: true });
    const outcome = await parseMail(dsn, TEST_CONTEXT);
    expect(outcome.kind === 'ignored' && outcome.bounce?.original).toEqual({ messageId: '<tasting-1@inviteflow.test@tests.inviteflow>', uid: '', method: '' });
  });

  test('Given the corpus\'s Postfix-relayed bounce of an iCal REQUEST, when it is parsed, then its failed recipient and the returned UID are read', async () => {
    const outcome = await parseMail(corpusBytes('postfix-dsn__bounced-request-message-rfc822.eml'), TEST_CONTEXT);
    expect(outcome.kind === 'ignored' && outcome.bounce).toMatchObject({
      failed: [{ recipient: 'nonexistant@example.com', status: '5.0.0', diagnostic: expect.stringContaining('550 5.1.1 unknown or illegal alias') }],
      original: { messageId: '<20080812191939.51369.1538816694.0@plugh.example.com>', uid: '1E71F9C8-AEDA-48EB-98D0-76E898F6BB5C', method: 'REQUEST', sequence: 2 },
    });
  });

  test('Given a report whose recipient was only delayed, when it is read, then nobody is reported failed', async () => {
    const dsn = buildPostfixDsn({ to: 'homer@example.org', failedRecipient: 'info@bakery.example.com', original: invitation });
    const delayed = Buffer.from(dsn.toString('utf8').replace('Action: failed', 'Action: delayed').replace('Status: 5.1.1', 'Status: 4.4.1'));
    const outcome = await parseMail(delayed, TEST_CONTEXT);
    expect(outcome.kind === 'ignored' && outcome.bounce?.failed).toEqual([]);
  });

  test('When fields are folded and names vary in case, then each block reads as one map per RFC 3464 §2.1', () => {
    const blocks = fieldBlocks('Reporting-MTA: dns; a.example\r\n\r\nfinal-recipient: rfc822;\r\n  <X@Example.com>\r\nACTION: failed\r\n');
    expect(blocks).toHaveLength(2);
    expect(blocks[1]?.get('final-recipient')).toBe('rfc822; <X@Example.com>');
    expect(blocks[1]?.get('action')).toBe('failed');
  });
});
