import { simpleParser } from 'mailparser';
import { multipartMail, TEXT_PART } from '@inviteflow/testing';
import { corpusBytes, TEST_CONTEXT } from '@inviteflow/testing';
import { tnefAttribute, tnefWithClass } from '../test/tnef-builder';
import { parseMail } from './parse-mail';
import { classifyTnef } from './tnef';

function tnefMail(data: Buffer): Buffer {
  return multipartMail([
    TEXT_PART,
    { headers: { 'Content-Type': 'application/ms-tnef; name="winmail.dat"', 'Content-Transfer-Encoding': 'base64' }, body: data.toString('base64') },
  ]);
}

function withBadChecksum(attribute: Buffer): Buffer {
  const copy = Buffer.from(attribute);
  copy.writeUInt16LE((copy.readUInt16LE(copy.length - 2) + 1) & 0xffff, copy.length - 2);
  return copy;
}

describe('reading the TNEF message class ([MS-OXTNEF])', () => {
  test('When the corpus winmail.dat (a real O365 note) is read, then its class is IPM.Microsoft Mail.Note, not a meeting', async () => {
    const mail = await simpleParser(corpusBytes('outlook365__tnef-winmail-dat-no-calendar-koi8r.eml'));
    const winmail = mail.attachments.find((a) => a.contentType === 'application/ms-tnef')!;

    expect(classifyTnef(winmail.content)).toEqual({ kind: 'other', messageClass: 'IPM.Microsoft Mail.Note' });
  });

  test.each([
    ['IPM.Microsoft Schedule.MtgReq', 'IPM.Schedule.Meeting.Request'],
    ['IPM.Microsoft Schedule.MtgCncl', 'IPM.Schedule.Meeting.Canceled'],
    ['IPM.Microsoft Schedule.MtgRespP', 'IPM.Schedule.Meeting.Resp.Pos'],
    ['IPM.Schedule.Meeting.Request', 'IPM.Schedule.Meeting.Request'],
  ])('When the class is %s, then it is a meeting (%s)', (legacy, modern) => {
    expect(classifyTnef(tnefWithClass(legacy))).toEqual({ kind: 'meeting', messageClass: modern });
  });

  test.each([
    ['no signature', Buffer.from('not tnef at all')],
    ['a truncated stream', tnefWithClass('IPM.Microsoft Schedule.MtgReq').subarray(0, 40)],
    ['a wrong checksum', Buffer.concat([tnefWithClass('IPM.Note').subarray(0, 6), withBadChecksum(tnefAttribute(1, 0x00078008, Buffer.from('IPM.Microsoft Schedule.MtgReq\0')))])],
    ['a length pointing past the end', Buffer.concat([tnefWithClass('IPM.Note').subarray(0, 6), Buffer.from([1, 8, 0x80, 7, 0, 0xff, 0xff, 0xff, 0x7f])])],
  ])('When the stream has %s, then it is unreadable and nothing throws', (_name, data) => {
    expect(classifyTnef(data).kind).toBe('unreadable');
  });
});

describe('a mail whose only content is TNEF', () => {
  test('When Outlook sends a meeting request only as winmail.dat, then it is rejected TNEF_MEETING_UNSUPPORTED', async () => {
    const outcome = await parseMail(tnefMail(tnefWithClass('IPM.Microsoft Schedule.MtgReq')), TEST_CONTEXT);

    expect(outcome).toMatchObject({ kind: 'rejected', reasonCode: 'TNEF_MEETING_UNSUPPORTED', detail: expect.stringContaining('IPM.Schedule.Meeting.Request') });
  });

  test('When the winmail.dat is a plain note, then the mail is ignored NO_CALENDAR_CONTENT and says what the TNEF was', async () => {
    const outcome = await parseMail(corpusBytes('outlook365__tnef-winmail-dat-no-calendar-koi8r.eml'), TEST_CONTEXT);

    expect(outcome).toMatchObject({ kind: 'ignored', reasonCode: 'NO_CALENDAR_CONTENT', detail: expect.stringContaining('IPM.Microsoft Mail.Note') });
  });
});
