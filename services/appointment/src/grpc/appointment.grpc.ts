import { appointmentV1, identityV1 } from '@inviteflow/proto-gen';
import { RpcLogger, unaryHandler } from '@inviteflow/rpc';
import { AppError } from '@inviteflow/runtime';
import type { AppointmentRepository } from '../data/appointment.repository';
import type { IdentityLookup } from '../domain/identity.port';
import { toAppointment } from './appointment.mapper';
import { explainMail } from './explain-mail.rpc';

/** The CRM-facing read API. `associate` may be an id or any address the associate holds. */
export function appointmentGrpcImplementation(
  repo: AppointmentRepository, identity: IdentityLookup, log: RpcLogger,
): appointmentV1.AppointmentServiceServer {
  return {
    listDiary: unaryHandler(log, 'ListDiary', async (req: appointmentV1.ListDiaryRequest) => {
      const associateId = await associateIdOf(identity, req.associate);
      const docs = await repo.listDiary(associateId, req.from, req.to);
      return { associateId, appointments: docs.map(toAppointment) };
    }),
    getMeeting: unaryHandler(log, 'GetMeeting', async (req: appointmentV1.GetMeetingRequest) => {
      if (!req.uid) throw new AppError({ code: 'INVALID_ARGUMENT', message: 'uid is required', retryable: false });
      const docs = await repo.findByUid(req.uid);
      if (docs.length === 0) throw new AppError({ code: 'NOT_FOUND', message: `no meeting with UID ${req.uid}`, retryable: false });
      return { uid: req.uid, appointments: docs.map(toAppointment) };
    }),
    explainMail: unaryHandler(log, 'ExplainMail', (req: appointmentV1.ExplainMailRequest) => explainMail(repo, req)),
  };
}

async function associateIdOf(identity: IdentityLookup, associate: string): Promise<string> {
  if (!associate) throw new AppError({ code: 'INVALID_ARGUMENT', message: 'associate is required', retryable: false });
  if (!associate.includes('@')) return associate;
  const [r] = await identity.resolve([associate]);
  if (r?.kind === identityV1.ResolutionKind.RESOLUTION_KIND_ASSOCIATE && r.associate) return r.associate.id;
  throw new AppError({ code: 'NOT_FOUND', message: `${associate} is not an associate's address`, retryable: false });
}
