// A stand-in for render/render-mail.ts in delivery tests: delivery's contract with rendering is
// render.types.ts, so these tests exercise delivery alone. The Message-ID derives from the
// business key and the recipient, as the contract requires of the real renderer.
import type { eventsV1 } from '@inviteflow/proto-gen';
import { AppError } from '@inviteflow/runtime';
import type { RenderedMail, RenderOptions, RenderOutboundMail } from '../src/render/render.types';

export const TEST_RENDER_OPTIONS: RenderOptions = {
  from: { kind: 'service', address: 'calendar@inviteflow.test', name: 'Calendar' }, messageIdDomain: 'inviteflow.test', now: () => new Date('2026-03-01T08:00:00Z'),
};

export function fakeRender(calls: { count: number } = { count: 0 }): RenderOutboundMail {
  return async (cmd: eventsV1.OutboundRequested, recipient: string, options: RenderOptions): Promise<RenderedMail> => {
    calls.count++;
    if (cmd.method === 'UNRENDERABLE') throw new AppError({ code: 'RENDER_FAILED', message: 'no template for UNRENDERABLE', retryable: false });
    const messageId = `<${cmd.requestId}.${recipient.replace('@', '=')}@${options.messageIdDomain}>`;
    const from = options.from.kind === 'service' ? options.from.address : cmd.organizer?.address ?? 'organizer@inviteflow.test';
    const raw = Buffer.from([
      `From: ${from}`, `To: ${recipient}`, `Subject: ${cmd.summary || 'Invitation'}`, `Message-ID: ${messageId}`, 'MIME-Version: 1.0',
      `Content-Type: text/calendar; method=${cmd.method}; charset=UTF-8`, '', cmd.calendar || 'BEGIN:VCALENDAR\r\nEND:VCALENDAR', '',
    ].join('\r\n'));
    return { messageId, envelope: { from, to: [recipient] }, raw, calendar: cmd.calendar, locale: 'en', subject: cmd.summary };
  };
}
