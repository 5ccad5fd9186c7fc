import { ICAL } from './ical';

describe('loading ical.js', () => {
  test('When ical.js is imported through ical.ts under Jest (swc → CommonJS), then the default import is the ICAL namespace', () => {
    expect(typeof ICAL.parse).toBe('function');
    expect(typeof ICAL.Component).toBe('function');
    expect(typeof ICAL.Recur).toBe('function');
  });
});
