export { AppError, isAppError, RUNTIME_ERROR_CODES } from './app.error';
export type { AppErrorOptions, RuntimeErrorCode } from './app.error';

export { envVar, defineConfig } from './config.schema';
export type { ConfigOf, ConfigSchema, EnvVar, EnvVarOptions } from './config.schema';
export { loadConfig } from './config.loader';
export type { Env, LoadConfigOptions } from './config.loader';
export { ConfigError, isConfigError } from './config.error';
export type { ConfigProblem } from './config.error';
export { describeConfig, renderConfigTable, redactConfig, printConfigIfAsked, REDACTED } from './config.describe';
export type { ConfigRow, PrintConfigOptions } from './config.describe';
export {
  commonConfig,
  natsConfig,
  mongoConfig,
  healthPortVar,
  serviceDatabaseVar,
  grpcServerConfig,
  consumerConcurrencyVar,
  domainList,
  LOG_LEVELS,
  DEFAULT_HEALTH_PORT,
} from './common.config';
export type { CommonConfig, LogLevel } from './common.config';
export { grpcServerSecurityConfig, grpcClientSecurityConfig } from './grpc-security.config';

export { createLogger, serializeError, REDACT_PATHS } from './logger.factory';
export type { Logger, LoggerOptions } from './logger.factory';
export { createMetrics } from './metrics.registry';
export type { Metrics } from './metrics.registry';

export { startHealthServer, DEFAULT_HEALTH_HOST } from './health.server';
export type { HealthServer, HealthServerOptions } from './health.server';
export { runChecks, DEFAULT_CHECK_TIMEOUT_MS } from './readiness.checks';
export type { Check, Checks, CheckReport } from './readiness.checks';
export { withTimeout } from './timeout.util';
export type { Timed } from './timeout.util';

export { runShutdown } from './shutdown.runner';
export type { ShutdownResult, ShutdownStep, StepResult } from './shutdown.runner';
export { onShutdown, onStopSignal, EXIT_FORCED, EXIT_SECOND_SIGNAL } from './shutdown.signals';
export type { OnShutdownOptions, SignalSource } from './shutdown.signals';
export { runService, exitOnConfigError, EXIT_CONFIG, EXIT_FAILURE } from './service.runner';
export type { FatalExitOptions, RunServiceOptions } from './service.runner';
