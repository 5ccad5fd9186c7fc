import { isIP } from 'node:net';
import type { NatsHandle } from '@inviteflow/messaging';
import { publish } from '@inviteflow/messaging';
import type { ShutdownStep } from '@inviteflow/runtime';
import type { RsvpLinkFactory } from '../render/render.types';
import { appointmentLookup } from './rsvp.appointment.client';
import type { ClickLogger } from './rsvp.click';
import { startRsvpHttpServer } from './rsvp.http-server';
import type { GrpcClientSecurity } from '@inviteflow/rpc';
import { keyringFrom, type KeyringSettings } from './rsvp.keyring';
import { createRsvpLinkFactory } from './rsvp.links';

export interface RsvpSettings extends KeyringSettings {
  rsvpEnabled: boolean;
  rsvpHttpPort: number;
  rsvpLinkTtlDays: number;
  appointmentGrpcAddr: string | undefined;
  appointmentDeadlineMs: number;
}

export interface RunningRsvp {
  /** For RenderOptions.rsvpLinks; undefined when RSVP_ENABLED=false. */
  links: RsvpLinkFactory | undefined;
  /** `{ rsvp: port }` for the started line, or nothing. */
  ports: Record<string, number>;
  /** Stop taking clicks (before NATS drains: a click in flight still publishes). */
  stopSteps: ShutdownStep[];
}

const hostForUrl = (host: string): string => (isIP(host) === 6 ? `[${host}]` : host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host);

/** Keys, the endpoint, the GetMeeting check and the link factory, from the RSVP block of the config. */
export async function startRsvp(
  config: RsvpSettings,
  // appointmentSecurity: asked only when APPOINTMENT_GRPC_ADDR is set (issue 15 §2).
  deps: { nats: NatsHandle; log: ClickLogger; now: () => Date; appointmentSecurity: () => GrpcClientSecurity },
): Promise<RunningRsvp> {
  if (!config.rsvpEnabled) return { links: undefined, ports: {}, stopSteps: [] };
  const { keyring, ephemeral } = keyringFrom(config);
  if (ephemeral) deps.log.warn({ code: 'RSVP_EPHEMERAL_KEY' }, 'RSVP_SECRET is unset: RSVP links are signed with a key of this process (loopback only) and stop working when it restarts');
  const lookup = config.appointmentGrpcAddr ? appointmentLookup(config.appointmentGrpcAddr, config.appointmentDeadlineMs, deps.appointmentSecurity()) : undefined;
  const server = await startRsvpHttpServer({
    keyring, organizerCopy: lookup?.organizerCopy, now: deps.now, log: deps.log,
    publish: (subject, payload, msgId) => publish(deps.nats.js, subject, payload, { msgId }),
  }, config.rsvpHttpHost, config.rsvpHttpPort).catch((err: unknown) => {
    lookup?.close();
    throw err;
  });
  const publicBaseUrl = config.rsvpPublicBaseUrl ?? `http://${hostForUrl(config.rsvpHttpHost)}:${server.port}`;
  return {
    links: createRsvpLinkFactory({ keyring, publicBaseUrl, ttlDays: config.rsvpLinkTtlDays, now: deps.now }),
    ports: { rsvp: server.port },
    stopSteps: [{ name: 'rsvp-http-close', run: async () => { await server.close(); lookup?.close(); } }],
  };
}
