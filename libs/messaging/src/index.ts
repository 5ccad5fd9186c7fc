// Public surface of @inviteflow/messaging: connect, provision, publish (with a required
// msgID), consume with a retry policy and a dead-letter subject, raw mail by reference,
// and the status the CLI shows. Nothing else is exported on purpose.
export { connectNats, type ConnectNatsOptions, type NatsHandle } from './nats.connection';
export { natsAuthFromConfig, natsAuthOptions, type NatsClientAuth, type NatsTlsFiles } from './nats.auth';
export {
  NATS_IDENTITIES, NATS_PERMISSIONS, SERVICE_NATS_IDENTITIES, nkeySeedFileName, nkeyVariable, renderNatsAuthorization,
  type NatsIdentity, type NatsPermissions,
} from './nats.permissions';
export {
  provisionStreams,
  provisionConsumer,
  streamConfig,
  consumerConfig,
  type ProvisionOptions,
  type DesiredStreamConfig,
} from './stream.provisioner';
export {
  DEFAULT_RETRY_POLICY,
  validateRetryPolicy,
  backoffDelayMs,
  isLastAttempt,
  effectiveAckWaitMs,
  failureAction,
  type RetryPolicy,
  type FailureAction,
} from './retry.policy';
export {
  classify,
  classifyWith,
  explainClassification,
  CLASSIFY_RULES,
  isRetryableError,
  errorCode,
  errorMessage,
  type Disposition,
  type Classification,
  type ClassifyRule,
  type RetryableErrorShape,
} from './error.classifier';
export { publish, type PublishOptions } from './message.publisher';
export { publishDeadLetter, deadLetterMsgId, type DeadLetterContext } from './dead-letter.publisher';
export { startConsumer } from './consumer.runner';
export { startDurableConsumer, type StartDurableConsumerOptions } from './durable-consumer';
// Backlog gauges for the Prometheus alert rules (issue 14 §4).
export { registerBacklogMetrics, readConsumer, type ConsumerReading } from './backlog.metrics';
export { decodeEvent, type ProtoDecoder } from './event.decoder';
export type { StartConsumerOptions, RunningConsumer, MessageContext, MessageHandler } from './consumer.types';
export type { ConsumerCounters } from './message.settler';
export { openRawMailStore, sha256Hex, type RawMailRef, type RawMailStore, type RawMailStoreOptions } from './raw-mail.store';
export { openRawMailStreamWriter, type RawMailStreamWriter } from './raw-mail.stream';
export { objectStoreStreamName } from './raw-mail.reader';
export { nullWhenApiError } from './jetstream-errors.util';
export {
  captureRawMail, checkInlineLimit, checkInlineLimitOnServer, INLINE_EVENT_HEADROOM_BYTES, inlineRawMail, type CapturedRawMail, type InlineLimits,
} from './raw-mail.inline';
export {
  pipelineStatus,
  type PipelineStatus,
  type PipelineStatusOptions,
  type StreamStatus,
  type ConsumerStatus,
} from './pipeline.status';
export { MESSAGING_ERROR_CODES, type MessagingErrorCode } from './messaging.errors';
export { noopLogger, type Logger } from './logger.types';
