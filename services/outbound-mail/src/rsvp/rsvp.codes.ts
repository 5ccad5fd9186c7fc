// The codes the RSVP block raises or logs (docs/error-codes.md, "Outbound mail: RSVP links"); a
// unit test keeps that table in step. Refusals of a link are pages, not errors: they are logged
// with these codes so an operator can count forged or outdated clicks.
export const RSVP_ERROR_CODES = ['RSVP_SECRET_REQUIRED', 'RSVP_LISTEN_FAILED'] as const;

export const RSVP_LOG_CODES = [
  'RSVP_EPHEMERAL_KEY', 'RSVP_CHECK_UNAVAILABLE', 'RSVP_REQUEST_FAILED',
  'RSVP_TOKEN_MALFORMED', 'RSVP_TOKEN_FORGED', 'RSVP_TOKEN_UNKNOWN_KEY', 'RSVP_TOKEN_EXPIRED',
  'RSVP_LINK_OUTDATED', 'RSVP_LINK_CANCELLED', 'RSVP_LINK_NOT_INVITED', 'RSVP_LINK_UNKNOWN',
] as const;
