/**
 * The slice of a pino logger this library uses, so callers pass their own pino instance and
 * the library never writes to the console (house-style.md, nats.js "leave behind").
 */
export interface LoggerLike {
  info(obj: object, msg?: string): void;
}
