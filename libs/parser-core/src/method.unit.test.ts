import { ITIP_METHODS, requiresDtstart, resolveMethod } from './method';

describe('choosing the iTIP method (RFC 6047 §2.4)', () => {
  test.each([
    // body METHOD, MIME method, expected method, expected warning code (or none)
    ['REQUEST', 'REQUEST', 'REQUEST', undefined],
    ['REQUEST', '', 'REQUEST', undefined],
    ['request', 'Request', 'REQUEST', undefined],
    ['CANCEL', 'REQUEST', 'CANCEL', 'METHOD_MISMATCH'],
    ['', 'REQUEST', 'REQUEST', 'METHOD_FROM_MIME_PARAM'],
    ['', '', 'PUBLISH', 'METHOD_MISSING'],
  ])('When METHOD is %j and the MIME parameter is %j, then the method is %s', (body, mime, method, code) => {
    // Act
    const resolution = resolveMethod(body, mime);

    // Assert
    expect(resolution).toMatchObject({ ok: true, method });
    const warnings = resolution.ok ? resolution.warnings : [];
    expect(warnings.map((w) => w.split(':')[0])).toEqual(code ? [code] : []);
  });

  test('When METHOD is not an iTIP method, then it cannot be resolved', () => {
    expect(resolveMethod('xyz', 'REQUEST')).toEqual({ ok: false, detail: expect.stringContaining('XYZ') });
  });

  test('When the body has no METHOD and the MIME parameter is not an iTIP method, then it cannot be resolved', () => {
    expect(resolveMethod('', 'FOO').ok).toBe(false);
  });
});

describe('which methods require DTSTART (RFC 5546 §3.2)', () => {
  test('Then PUBLISH, REQUEST, ADD and COUNTER require it and the others do not', () => {
    const required = ITIP_METHODS.filter(requiresDtstart);
    expect(required).toEqual(['PUBLISH', 'REQUEST', 'ADD', 'COUNTER']);
  });
});
