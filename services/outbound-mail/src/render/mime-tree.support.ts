// Test support: the MIME tree of a rendered message (content types and dispositions by nesting),
// so tests can assert the structure RFC 6047 and the clients expect. Only for our own output:
// CRLF lines, boundaries declared in quoted Content-Type parameters.

export interface MimeNode {
  contentType: string;
  /** The Content-Type header's parameters, names lowercased. */
  params: Record<string, string>;
  disposition: string;
  children: MimeNode[];
  body: string;
}

function headerBlock(text: string): { headers: Map<string, string>; body: string } {
  const cut = text.indexOf('\r\n\r\n');
  const head = (cut < 0 ? text : text.slice(0, cut)).replace(/\r\n[ \t]+/g, ' ');
  const headers = new Map<string, string>();
  for (const line of head.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return { headers, body: cut < 0 ? '' : text.slice(cut + 4) };
}

function parameters(value: string): { type: string; params: Record<string, string> } {
  const [type, ...rest] = value.split(';');
  const params: Record<string, string> = {};
  for (const p of rest) {
    const eq = p.indexOf('=');
    if (eq > 0) params[p.slice(0, eq).trim().toLowerCase()] = p.slice(eq + 1).trim().replace(/^"|"$/g, '');
  }
  return { type: type!.trim().toLowerCase(), params };
}

export function mimeTree(raw: string): MimeNode {
  const { headers, body } = headerBlock(raw);
  const { type, params } = parameters(headers.get('content-type') ?? 'text/plain');
  const disposition = (headers.get('content-disposition') ?? '').split(';')[0]!.trim().toLowerCase();
  if (!type.startsWith('multipart/')) return { contentType: type, params, disposition, children: [], body };
  const parts = body.split(`--${params.boundary}`).slice(1, -1).map((p) => p.replace(/^\r\n/, ''));
  return { contentType: type, params, disposition, children: parts.map(mimeTree), body: '' };
}

/** The tree as nested [type, disposition?, children?] for compact assertions. */
export function shape(n: MimeNode): unknown {
  return n.children.length ? [n.contentType, n.children.map(shape)] : n.disposition ? `${n.contentType} (${n.disposition})` : n.contentType;
}
