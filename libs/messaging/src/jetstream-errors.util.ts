import { JetStreamApiError } from '@nats-io/jetstream';

/**
 * For `.catch()` on a JetStream API call where one error code means "absent": maps that
 * code to null and rethrows anything else.
 */
export function nullWhenApiError(code: number): (err: unknown) => null {
  return (err: unknown) => {
    if (err instanceof JetStreamApiError && err.code === code) return null;
    throw err;
  };
}
