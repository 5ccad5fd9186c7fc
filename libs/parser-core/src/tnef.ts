// Outlook's TNEF (application/ms-tnef, "winmail.dat", [MS-OXTNEF]) carries a message as MAPI
// properties instead of MIME. A meeting request sent that way has no iCalendar at all: its times,
// attendees and recurrence are MAPI named properties ([MS-OXOCAL]), which no maintained npm
// package decodes (docs/parser.md). So we read only what tells a meeting from a plain note, the
// message class, and let the outcome say precisely why nothing was scheduled.
//
// Stream layout ([MS-OXTNEF] §2.1.3.1): u32 signature 0x223E9F78, u16 legacy key, then attributes
// of u8 level (1 message, 2 attachment), u32 id, u32 length, data, u16 checksum (sum of the
// data bytes mod 65536), all little-endian.

const TNEF_SIGNATURE = 0x223e9f78;
const LEVEL_MESSAGE = 0x01;
/** attMessageClass ([MS-OXTNEF] §2.1.3.3.1): the legacy (MS Mail) form of PidTagMessageClass. */
const ATT_MESSAGE_CLASS = 0x00078008;
const ATTRIBUTE_OVERHEAD = 1 + 4 + 4 + 2;
/** Message-level attributes come first; the class is among the first few in every real file. */
const MAX_ATTRIBUTES_READ = 64;

/**
 * [MS-OXTNEF] §2.1.3.3.1 maps these legacy classes to their MAPI names; either form may appear.
 * All are iTIP in MAPI form: request, cancel, and the three replies.
 */
const MEETING_CLASSES = new Map<string, string>([
  ['ipm.microsoft schedule.mtgreq', 'IPM.Schedule.Meeting.Request'],
  ['ipm.microsoft schedule.mtgcncl', 'IPM.Schedule.Meeting.Canceled'],
  ['ipm.microsoft schedule.mtgrespp', 'IPM.Schedule.Meeting.Resp.Pos'],
  ['ipm.microsoft schedule.mtgrespn', 'IPM.Schedule.Meeting.Resp.Neg'],
  ['ipm.microsoft schedule.mtgrespa', 'IPM.Schedule.Meeting.Resp.Tent'],
]);

export type TnefKind =
  | { kind: 'meeting'; messageClass: string }
  | { kind: 'other'; messageClass: string }
  | { kind: 'unreadable'; detail: string };

/** What a winmail.dat is, by its message class. Never throws; bounded by the attribute count. */
export function classifyTnef(data: Buffer): TnefKind {
  if (data.length < 6 || data.readUInt32LE(0) !== TNEF_SIGNATURE) return { kind: 'unreadable', detail: 'no TNEF signature' };
  const messageClass = readMessageClass(data);
  if (messageClass === undefined) return { kind: 'unreadable', detail: 'no attMessageClass' };
  const modern = MEETING_CLASSES.get(messageClass.toLowerCase()) ?? messageClass;
  return /^IPM\.Schedule\.Meeting\./i.test(modern) ? { kind: 'meeting', messageClass: modern } : { kind: 'other', messageClass: modern };
}

function readMessageClass(data: Buffer): string | undefined {
  let offset = 6;
  for (let read = 0; read < MAX_ATTRIBUTES_READ && offset + ATTRIBUTE_OVERHEAD <= data.length; read++) {
    const level = data.readUInt8(offset);
    const id = data.readUInt32LE(offset + 1);
    const length = data.readUInt32LE(offset + 5);
    const start = offset + 9;
    if (start + length + 2 > data.length) return undefined; // truncated: trust nothing past here
    if (level === LEVEL_MESSAGE && id === ATT_MESSAGE_CLASS) {
      const value = data.subarray(start, start + length);
      if (checksum(value) !== data.readUInt16LE(start + length)) return undefined;
      return value.toString('latin1').replace(/\0+$/, '').trim();
    }
    offset = start + length + 2;
  }
  return undefined;
}

export function checksum(bytes: Buffer): number {
  let sum = 0;
  for (const byte of bytes) sum = (sum + byte) & 0xffff;
  return sum;
}
