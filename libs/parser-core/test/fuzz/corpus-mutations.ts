// fast-check arbitraries that damage corpus files the way transport and hostile senders do:
// byte flips, truncation, duplicated and deleted lines, injected headers or properties, charset
// garbage, and CRLF/LF swaps. Each case is one corpus file with one to four mutations applied.
import fc from 'fast-check';
import { corpusBytes, corpusManifest } from '@inviteflow/testing';

export interface CorpusCase {
  file: string;
  raw: Buffer;
  mutations: string[];
}

type Mutation = { name: string; apply: (raw: Buffer) => Buffer };

/** Lines a hostile sender or a broken relay might add, in a mail header or a calendar. */
const INJECTED_LINES = [
  '__proto__: {"polluted":true}',
  'constructor: prototype',
  'Content-Type: multipart/mixed; boundary=""',
  'Content-Type: text/calendar; method=CANCEL; charset=x-unknown-garbage',
  'Content-Transfer-Encoding: base64',
  'Content-Transfer-Encoding: quoted-printable',
  `X-Long: ${'x'.repeat(5000)}`,
  'BEGIN:VCALENDAR',
  'END:VCALENDAR',
  'BEGIN:VEVENT',
  'END:VEVENT',
  'METHOD:COUNTER',
  'UID:',
  'DTSTART;TZID=Nowhere/Zone:20240230T250000',
  'RRULE:FREQ=SECONDLY;COUNT=2147483647',
  'RECURRENCE-ID;RANGE=THISANDFUTURE:20240101T000000Z',
  'SEQUENCE:99999999999999999999',
  'EXDATE:20240101T000000Z,garbage',
  'ATTACH:file:///etc/passwd',
  'BEGIN:VTIMEZONE',
  'TZOFFSETFROM:+9999',
];

function lines(raw: Buffer): string[] {
  return raw.toString('latin1').split('\n');
}

function joinLines(parts: string[]): Buffer {
  return Buffer.from(parts.join('\n'), 'latin1');
}

const byteFlip = fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })).map(([at, mask]): Mutation => ({
  name: `flip@${at}^${mask}`,
  apply: (raw) => {
    if (raw.length === 0) return raw;
    const copy = Buffer.from(raw);
    const i = at % copy.length;
    copy[i] = copy[i]! ^ mask;
    return copy;
  },
}));

const truncate = fc.double({ min: 0, max: 1, noNaN: true }).map((fraction): Mutation => ({
  name: `truncate@${fraction.toFixed(3)}`,
  apply: (raw) => raw.subarray(0, Math.floor(raw.length * fraction)),
}));

const duplicateLine = fc.tuple(fc.nat(), fc.integer({ min: 1, max: 50 })).map(([at, times]): Mutation => ({
  name: `dupline@${at}x${times}`,
  apply: (raw) => {
    const parts = lines(raw);
    const i = at % parts.length;
    parts.splice(i, 0, ...Array<string>(times).fill(parts[i] ?? ''));
    return joinLines(parts);
  },
}));

const deleteLine = fc.tuple(fc.nat(), fc.integer({ min: 1, max: 5 })).map(([at, count]): Mutation => ({
  name: `delline@${at}-${count}`,
  apply: (raw) => {
    const parts = lines(raw);
    parts.splice(at % parts.length, count);
    return joinLines(parts);
  },
}));

const injectLine = fc.tuple(fc.nat(), fc.constantFrom(...INJECTED_LINES)).map(([at, line]): Mutation => ({
  name: `inject@${at}:${line.slice(0, 40)}`,
  apply: (raw) => {
    const parts = lines(raw);
    parts.splice(at % (parts.length + 1), 0, `${line}\r`);
    return joinLines(parts);
  },
}));

const charsetGarbage = fc.tuple(fc.nat(), fc.uint8Array({ minLength: 1, maxLength: 64 }), fc.boolean()).map(([at, bytes, relabel]): Mutation => ({
  name: `garbage@${at}+${bytes.length}${relabel ? '+charset' : ''}`,
  apply: (raw) => {
    const i = raw.length ? at % raw.length : 0;
    const mixed = Buffer.concat([raw.subarray(0, i), Buffer.from(bytes), raw.subarray(i)]);
    return relabel ? Buffer.from(mixed.toString('latin1').replace(/charset="?[\w-]+"?/gi, 'charset=x-\u00ff\u0000bogus'), 'latin1') : mixed;
  },
}));

const lineEndings = fc.constantFrom('crlf-to-lf', 'lf-to-crlf', 'cr-only').map((mode): Mutation => ({
  name: mode,
  apply: (raw) => {
    const text = raw.toString('latin1');
    if (mode === 'crlf-to-lf') return Buffer.from(text.replace(/\r\n/g, '\n'), 'latin1');
    if (mode === 'lf-to-crlf') return Buffer.from(text.replace(/\r?\n/g, '\r\n'), 'latin1');
    return Buffer.from(text.replace(/\r?\n/g, '\r'), 'latin1');
  },
}));

const mutation = fc.oneof(byteFlip, truncate, duplicateLine, deleteLine, injectLine, charsetGarbage, lineEndings);

/** One corpus file (read in place, once) with one to four mutations applied in order. */
export function corpusCase(): fc.Arbitrary<CorpusCase> {
  const files = corpusManifest().map((entry) => ({ file: entry.file, raw: corpusBytes(entry.file) }));
  return fc.tuple(fc.constantFrom(...files), fc.array(mutation, { minLength: 1, maxLength: 4 })).map(([source, mutations]) => ({
    file: source.file,
    raw: mutations.reduce((raw, m) => m.apply(raw), source.raw),
    mutations: mutations.map((m) => m.name),
  }));
}
