// A real SMTP server on loopback (the `smtp-server` package) that delivery hands mail to in
// tests and the benchmark: it records every message it accepted, and answers each recipient
// from a script (250, or a 4xx / 5xx for its first N tries), so a test chooses the relay's answers.
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  from: string;
  to: string[];
  raw: Buffer;
}

/** How the relay answers RCPT TO for one address: refuse with `code` for the first `times` tries. */
export interface RcptScript {
  code: number;
  message: string;
  times: number;
}

export interface LoopbackRelay {
  port: number;
  url: string;
  received: ReceivedMail[];
  /** RCPT TO attempts per recipient. */
  rcptTries: Map<string, number>;
  script(recipient: string, answer: RcptScript): void;
  close(): Promise<void>;
}

/** `port`: listen there (a sender that started before the relay); default: any free port. */
export async function startLoopbackRelay(options: { port?: number } = {}): Promise<LoopbackRelay> {
  const received: ReceivedMail[] = [];
  const rcptTries = new Map<string, number>();
  const scripts = new Map<string, RcptScript>();
  const server = new SMTPServer({
    authOptional: true, disabledCommands: ['STARTTLS'], logger: false, banner: 'loopback test relay',
    onRcptTo(address, _session, callback) {
      const to = address.address.toLowerCase();
      const tries = (rcptTries.get(to) ?? 0) + 1;
      rcptTries.set(to, tries);
      const s = scripts.get(to);
      if (s && tries <= s.times) return callback(Object.assign(new Error(s.message), { responseCode: s.code }));
      return callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks),
        });
        callback(null, `Ok: queued as T${received.length}`);
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.server.address() as AddressInfo).port;
  return {
    port, url: `smtp://127.0.0.1:${port}`, received, rcptTries,
    script: (recipient, answer) => void scripts.set(recipient.toLowerCase(), answer),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
