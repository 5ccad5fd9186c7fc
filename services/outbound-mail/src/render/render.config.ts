// The rendering settings (issue 11 §2): the From policy and the Message-ID domain, a fragment
// spread into outbound-mail's config schema.
import { z } from 'zod';
import { AppError, envVar } from '@inviteflow/runtime';
import type { RenderOptions } from './render.types';

const hostname = z.string().regex(/^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*$/);

export const renderConfig = {
  mailFromPolicy: envVar('MAIL_FROM_POLICY', z.enum(['organizer', 'service']), {
    default: 'organizer',
    doc: 'Who outbound mail is From: `organizer` (whoever acts: the organizer, or the attendee answering), or `service`: MAIL_SERVICE_ADDRESS, naming them, with them as Sender and Reply-To (when our relay may not send as their domain; docs/outbound.md).',
    expected: 'organizer|service',
  }),
  mailServiceAddress: envVar('MAIL_SERVICE_ADDRESS', z.email().optional(), {
    doc: 'The From address under MAIL_FROM_POLICY=service (also the envelope sender, where bounces return); required then.', expected: 'an email address',
  }),
  mailServiceName: envVar('MAIL_SERVICE_NAME', z.string().min(1).max(64), {
    default: 'inviteflow', doc: 'Display name of MAIL_SERVICE_ADDRESS, after the actor\'s name: "Marge Simpson (inviteflow)".', expected: 'text, 1-64 characters',
  }),
  mailMessageIdDomain: envVar('MAIL_MESSAGE_ID_DOMAIN', hostname, {
    default: 'inviteflow.local', doc: 'Right-hand side of the Message-IDs derived from each command\'s business key and recipient (a retry is the same mail).', expected: 'a domain name',
  }),
};

export interface RenderSettings {
  mailFromPolicy: 'organizer' | 'service';
  mailServiceAddress?: string | undefined;
  mailServiceName: string;
  mailMessageIdDomain: string;
}

/** RenderOptions' settings from the config; the service policy without an address stops the boot. */
export function renderSettings(c: RenderSettings): Pick<RenderOptions, 'from' | 'messageIdDomain'> {
  if (c.mailFromPolicy === 'service' && !c.mailServiceAddress) {
    throw new AppError({ code: 'CONFIG_INVALID', retryable: false, message: 'MAIL_FROM_POLICY=service needs MAIL_SERVICE_ADDRESS' });
  }
  const from: RenderOptions['from'] = c.mailFromPolicy === 'service' ? { kind: 'service', address: c.mailServiceAddress!, name: c.mailServiceName } : { kind: 'organizer' };
  return { from, messageIdDomain: c.mailMessageIdDomain };
}
