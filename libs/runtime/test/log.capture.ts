// In-memory pino destination: tests assert on the JSON lines a service would print.
import { createLogger, type Logger } from '../src/logger.factory';

export interface CapturedLog {
  readonly log: Logger;
  readonly lines: () => Record<string, unknown>[];
  readonly messages: () => string[];
}

export function captureLog(service = 'test-service'): CapturedLog {
  const raw: string[] = [];
  const destination = { write: (chunk: string) => void raw.push(chunk) };
  const log = createLogger({ service, level: 'trace', destination });
  const lines = () => raw.map((chunk) => JSON.parse(chunk) as Record<string, unknown>);
  return { log, lines, messages: () => lines().map((line) => String(line['msg'])) };
}
