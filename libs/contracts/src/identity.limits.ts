/**
 * Limits of the identity service's gRPC API (proto/inviteflow/identity/v1), shared so the
 * service that enforces a limit and the clients that must stay under it read one number.
 */
export const IDENTITY_LIMITS = {
  /**
   * Addresses per ResolveAddresses call (and sightings per NoteUnresolved, which resolves
   * them). More is refused as BATCH_TOO_LARGE; clients send larger sets in chunks of this size.
   */
  resolveBatchMax: 1000,
} as const;
