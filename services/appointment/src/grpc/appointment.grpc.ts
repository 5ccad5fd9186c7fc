import type { appointmentV1 } from '@inviteflow/proto-gen';
import { RpcLogger, unaryHandler } from '@inviteflow/rpc';
import type { MeetingRepository } from '../data/meeting.repository';
import type { OutcomeRepository } from '../data/outcome.repository';
import type { CopyPublisher } from '../handlers/meeting-events.publisher';
import { listDiary } from './diary.rpc';
import { explainMail } from './explain-mail.rpc';
import { importMeeting } from './import-meeting.rpc';
import { getMeeting, meetingHistory } from './meeting.rpc';
import type { OwnerDirectory } from './owner.resolve';
import { getSettings, setSettings, type SettingsRpcDeps } from './settings.rpc';
// ---- CRM commands ----
import type { OutboundFlusher } from '../crm/outbound.flusher';
import { crmHandlers } from './crm.rpc';

export interface AppointmentGrpcDeps {
  meetings: MeetingRepository;
  outcomes: OutcomeRepository;
  /** Addresses resolve through identity (cached); ids are looked up with GetAssociate. */
  identity: OwnerDirectory;
  now: () => Date;
  log: RpcLogger;
  /** Announces a copy `meeting import` wrote, as the consumer does for mail; none when absent. */
  publishCopy?: CopyPublisher;
  // ---- Settings ----
  /** Incoming policies, the synchronizer preference and its marking (issue 10 §3–§4). */
  settings: Omit<SettingsRpcDeps, 'identity' | 'now'>;
  // ---- CRM commands ----
  /** Hands on the commands a CRM change saved with its copy (crm/outbound.flusher.ts). */
  crm: { flusher: OutboundFlusher };
}

/** The CRM-facing API over the meeting copies and their audit. `associate`/`owner`: an id or any address. */
export function appointmentGrpcImplementation(deps: AppointmentGrpcDeps): appointmentV1.AppointmentServiceServer {
  const { log } = deps;
  return {
    listDiary: unaryHandler(log, 'ListDiary', (req: appointmentV1.ListDiaryRequest) => listDiary(deps, req)),
    getMeeting: unaryHandler(log, 'GetMeeting', (req: appointmentV1.GetMeetingRequest) => getMeeting(deps, req)),
    importMeeting: unaryHandler(log, 'ImportMeeting', (req: appointmentV1.ImportMeetingRequest) => importMeeting(deps, req)),
    meetingHistory: unaryHandler(log, 'MeetingHistory', (req: appointmentV1.MeetingHistoryRequest) => meetingHistory(deps.outcomes, req)),
    explainMail: unaryHandler(log, 'ExplainMail', (req: appointmentV1.ExplainMailRequest) => explainMail(deps, req)),
    // ---- Settings ----
    getSettings: unaryHandler(log, 'GetSettings', (req: appointmentV1.GetSettingsRequest) => getSettings({ ...deps.settings, identity: deps.identity, now: deps.now }, req)),
    setSettings: unaryHandler(log, 'SetSettings', (req: appointmentV1.SetSettingsRequest) => setSettings({ ...deps.settings, identity: deps.identity, now: deps.now }, req)),
    // ---- CRM commands ----
    ...crmHandlers(log, { meetings: deps.meetings, outcomes: deps.outcomes, identity: deps.identity, now: deps.now, flusher: deps.crm.flusher }),
  };
}
