// A minimal TNEF stream written by the rules of [MS-OXTNEF] §2.1.3 (signature, legacy key,
// attributes with a level, id, length and checksum). Outlook writes attTnefVersion and
// attOemCodepage first and then attMessageClass, as the corpus's real winmail.dat does; this
// builder does the same so that a meeting can be tested without a real Outlook meeting file
// (none with a licence was found). tnef.unit.test.ts checks the reader on the real file too.
import { checksum } from '../src/tnef';

function u32(value: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(value >>> 0);
  return b;
}

export function tnefAttribute(level: number, id: number, data: Buffer): Buffer {
  const sum = Buffer.alloc(2);
  sum.writeUInt16LE(checksum(data));
  return Buffer.concat([Buffer.from([level]), u32(id), u32(data.length), data, sum]);
}

/** A TNEF stream whose message class is `messageClass` (legacy or MAPI form). */
export function tnefWithClass(messageClass: string): Buffer {
  return Buffer.concat([
    u32(0x223e9f78), // TNEF_SIGNATURE
    Buffer.from([0x01, 0x00]), // legacy key
    tnefAttribute(1, 0x00089006, u32(0x00010000)), // attTnefVersion
    tnefAttribute(1, 0x00069007, Buffer.concat([u32(1252), u32(0)])), // attOemCodepage
    tnefAttribute(1, 0x00078008, Buffer.from(`${messageClass}\0`, 'latin1')), // attMessageClass
  ]);
}
