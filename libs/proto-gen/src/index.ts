// Generated protobuf code, one namespace per proto package (never edited by hand:
// `nx run proto-gen:generate` rebuilds src/gen from proto/).
export * as identityV1 from './gen/inviteflow/identity/v1/identity';
export * as appointmentV1 from './gen/inviteflow/appointment/v1/appointment';
export * as eventsV1 from './gen/inviteflow/events/v1/events';
export * as outboundV1 from './gen/inviteflow/outbound/v1/outbound';
export * as ingestV1 from './gen/inviteflow/ingest/v1/mailbox';
