// libs/infra's failures as AppError codes (the one error type): the CLI and the Jest global
// set-up show the message, and scripts can key on the code.
import { AppError } from '@inviteflow/runtime';

/** Mirrored in docs/error-codes.md ("Infrastructure"); a unit test keeps the two in step. */
export const INFRA_ERROR_CODES = {
  infraUnavailable: 'INFRA_UNAVAILABLE',
  toolNotBuilt: 'INFRA_TOOL_NOT_BUILT',
  processNotReady: 'INFRA_PROCESS_NOT_READY',
  processNotStarted: 'INFRA_PROCESS_NOT_STARTED',
  processExitedEarly: 'INFRA_PROCESS_EXITED_EARLY',
  jetStreamUnavailable: 'JETSTREAM_UNAVAILABLE',
  workspaceNotFound: 'WORKSPACE_NOT_FOUND',
  badMailUser: 'INFRA_BAD_MAIL_USER',
} as const;

const INSTALL_HINT = {
  NATS: 'set NATS_URL, start a container runtime (Docker/Podman), or install Go and run ./dev setup to build nats-server',
  MongoDB: 'set MONGO_URL, start a container runtime (Docker/Podman), or install a JDK 17 and Maven and run ./dev setup',
} as const;

/** The one error that says what to install when no NATS or MongoDB can be had. */
export function infraUnavailable(what: keyof typeof INSTALL_HINT, detail: string, cause?: unknown): AppError {
  return new AppError({
    code: INFRA_ERROR_CODES.infraUnavailable,
    message: `no ${what} available: ${INSTALL_HINT[what]} (${detail})`,
    retryable: false,
    cause,
    details: { what },
  });
}

export function infraError(code: (typeof INFRA_ERROR_CODES)[keyof typeof INFRA_ERROR_CODES], message: string, cause?: unknown): AppError {
  return new AppError({ code, message, retryable: false, cause });
}
