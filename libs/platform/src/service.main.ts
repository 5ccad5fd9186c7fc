// What every service's main.ts calls: read the environment once, start the service through its
// exported `start(config)`, and turn SIGTERM/SIGINT into that service's own `stop()`. Keeping
// this out of `start` is what lets component tests run the real service in-process.
import { ConfigOf, ConfigSchema, loadConfig, onStopSignal, printConfigIfAsked, runService } from '@inviteflow/runtime';
import type { RunningService } from './service.kit';

export interface ServiceMain<T extends ConfigSchema> {
  readonly service: string;
  readonly schema: T;
  readonly start: (config: ConfigOf<T>) => Promise<RunningService>;
}

export function runMain<T extends ConfigSchema>(main: ServiceMain<T>): Promise<void> {
  return runService(async () => {
    // A ConfigError thrown here exits 78 naming the variable (runService).
    const config = loadConfig(main.schema, process.env, { service: main.service });
    printConfigIfAsked(config, main.schema);
    const running = await main.start(config);
    onStopSignal(running.log, running.shutdownTimeoutMs, running.stop);
  }, { service: main.service });
}
