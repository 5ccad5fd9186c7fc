// Every code delivery records or logs (docs/error-codes.md, "Outbound mail: delivery").
import { DELIVERY_FAILURE_CODES } from './delivery.decide';

export const DELIVERY_LOG_CODES = {
  claimLost: 'DELIVERY_CLAIM_LOST',
  attemptFailed: 'DELIVERY_ATTEMPT_FAILED',
  eventPublishFailed: 'DELIVERY_EVENT_PUBLISH_FAILED',
  pollFailed: 'DELIVERY_POLL_FAILED',
  disabled: 'DELIVERY_DISABLED',
} as const;

export const DELIVERY_CODES: readonly string[] = [...Object.values(DELIVERY_FAILURE_CODES), ...Object.values(DELIVERY_LOG_CODES)];
