import { AppError } from '@inviteflow/runtime';
import { MESSAGING_ERROR_CODES } from './messaging.errors';

/** What ts-proto generates for each message (`eventsV1.MailReceived` and the rest). */
export interface ProtoDecoder<T> {
  decode(input: Uint8Array): T;
}

/**
 * Decodes an event payload, or throws EVENT_UNDECODABLE, not retryable: a payload that is not
 * the protobuf message its subject promises will not become one on redelivery, so it goes to
 * the dead-letter subject at once. `what` names the subject and type for the log line, e.g.
 * 'mail.received.v1 payload is not a valid MailReceived'.
 */
export function decodeEvent<T>(decoder: ProtoDecoder<T>, data: Uint8Array, what: string): T {
  try {
    return decoder.decode(data);
  } catch (err) {
    throw new AppError({ code: MESSAGING_ERROR_CODES.eventUndecodable, message: what, retryable: false, cause: err });
  }
}
