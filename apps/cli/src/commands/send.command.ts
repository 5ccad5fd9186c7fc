import { readFileSync } from 'node:fs';
import { createTransport } from 'nodemailer';
import { simpleParser, AddressObject } from 'mailparser';
import { cliError, EXIT, Output } from '../cli-output';

/**
 * `inviteflow send <file.eml>`: submits the raw message unchanged to the ingest SMTP listener.
 * The envelope comes from --from/--to, else from the message's From and To/Cc headers.
 */
export async function send(file: string, smtp: string, opts: { from?: string; to?: string[] }, out: Output): Promise<number> {
  let raw: Buffer;
  try {
    raw = readFileSync(file);
  } catch (err) {
    throw cliError('CLI_FILE_UNREADABLE', `cannot read ${file}: ${(err as Error).message}`);
  }
  const envelope = await envelopeOf(raw, opts);
  if (envelope.to.length === 0) throw cliError('CLI_USAGE', `${file} has no To/Cc recipients; pass --to <address>`);
  const [host, port] = splitHostPort(smtp);
  const transport = createTransport({ host, port, secure: false, ignoreTLS: true, connectionTimeout: 5000 });
  try {
    const info = await transport.sendMail({ envelope, raw });
    out.result({ file, envelope, response: info.response, accepted: info.accepted, rejected: info.rejected },
      `sent ${file} to ${envelope.to.join(', ')}: ${info.response}`);
    return info.rejected.length > 0 ? EXIT.partial : EXIT.ok;
  } catch (err) {
    const e = err as { code?: string; responseCode?: number; response?: string; message: string };
    if (e.code === 'ECONNECTION' || e.code === 'ETIMEDOUT' || e.code === 'ESOCKET') {
      throw cliError('CLI_UNAVAILABLE', `ingest SMTP at ${smtp} is not answering (${e.message}); is the cluster up (./dev up)?`);
    }
    throw cliError('CLI_PARTLY_FAILED', `ingest refused the message: ${e.response ?? e.message}`);
  } finally {
    transport.close();
  }
}

async function envelopeOf(raw: Buffer, opts: { from?: string; to?: string[] }): Promise<{ from: string; to: string[] }> {
  if (opts.from && opts.to && opts.to.length > 0) return { from: opts.from, to: opts.to };
  const parsed = await simpleParser(raw, { skipHtmlToText: true, skipTextToHtml: true, skipImageLinks: true });
  const addresses = (a: AddressObject | AddressObject[] | undefined): string[] =>
    (Array.isArray(a) ? a : a ? [a] : []).flatMap((x) => x.value.map((v) => v.address ?? '')).filter(Boolean);
  return {
    from: opts.from ?? addresses(parsed.from)[0] ?? '',
    to: opts.to && opts.to.length > 0 ? opts.to : [...addresses(parsed.to), ...addresses(parsed.cc)],
  };
}

function splitHostPort(value: string): [string, number] {
  const i = value.lastIndexOf(':');
  return [value.slice(0, i), Number(value.slice(i + 1))];
}
