/**
 * The logging surface this library needs. A pino logger satisfies it as-is; the library
 * never writes to the console, so the service decides where and how lines go.
 */
export interface Logger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  debug(obj: object, msg?: string): void;
}

/** For callers (mostly tests) that want no output at all. */
export const noopLogger: Logger = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  debug: () => undefined,
};
