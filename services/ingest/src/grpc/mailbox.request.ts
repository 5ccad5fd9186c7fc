// AddMailboxRequest → MailboxDefinition, field by field, each refusal with its own code
// (docs/error-codes.md). Pure apart from checking a file reference's place on disk.
import { isIP } from 'node:net';
import type { ingestV1 } from '@inviteflow/proto-gen';
import { DEFAULT_PROCESSED_FLAG, type AfterProcessing, type MailboxAuth, type MailboxAuthRef, type MailboxDefinition, type SecretRef } from '../imap/mailbox.types';
import { checkSecretRef, type SecretRefPolicy } from '../secrets/mailbox-secret';
import { invalid, MAILBOX_ADMIN_ERROR_CODES as C } from './mailbox.errors';

const ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
// RFC 1123 host names; IP literals are checked with isIP.
const HOST_NAME = /^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$/;
// CTLs (incl. CR LF) would break the IMAP command line they travel in (RFC 3501 §9, CHAR8 / CTL).
const CONTROL = /[\x00-\x1f\x7f]/;
// A keyword is an atom (RFC 3501 §9: no SP ( ) { % * " \ ]); '$' prefixes are conventional.
const KEYWORD = /^[^\x00-\x20\x7f(){%*"\\\]]{1,64}$/;
/** System flags a processed message may get; never \Deleted (issue 12: never deleted). */
const SYSTEM_FLAGS = new Set(['\\Seen', '\\Flagged', '\\Answered']);
const MAX_SECRET_CHARS = 16 * 1024;
const MAX_POLL_SECONDS = 3600;

export interface ValidatedMailbox {
  def: MailboxDefinition;
  replace: boolean;
}

export async function toMailboxDefinition(req: ingestV1.AddMailboxRequest, policy: SecretRefPolicy): Promise<ValidatedMailbox> {
  if (!ID.test(req.id)) throw invalid(C.invalidId, `id: 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit (got '${req.id}')`);
  if (!(isIP(req.host) || HOST_NAME.test(req.host))) throw invalid(C.invalidServer, `host: a host name or IP address, without scheme or port (got '${req.host}')`);
  if (!Number.isInteger(req.port) || req.port < 0 || req.port > 65535) throw invalid(C.invalidServer, `port: 1-65535, or 0 for ${req.tls ? 993 : 143} (got ${req.port})`);
  const user = req.user.trim();
  if (!user || user.length > 320 || CONTROL.test(user)) throw invalid(C.invalidUser, 'user: the login name, 1-320 characters without control characters');
  const folder = req.folder || 'INBOX';
  checkFolder(folder, 'folder');
  const pollSeconds = req.pollIntervalSeconds;
  if (!Number.isInteger(pollSeconds) || pollSeconds < 0 || pollSeconds > MAX_POLL_SECONDS) {
    throw invalid(C.invalidPollInterval, `poll interval: 1-${MAX_POLL_SECONDS} seconds, or 0 for ingest's IMAP_POLL_INTERVAL_MS (got ${pollSeconds})`);
  }
  const def: MailboxDefinition = {
    id: req.id, host: req.host, port: req.port || (req.tls ? 993 : 143), tls: req.tls,
    auth: await toAuth(user, req, policy), folder, after: toAfter(req.after, folder),
    ...(pollSeconds ? { pollIntervalMs: pollSeconds * 1000 } : {}),
  };
  return { def, replace: req.replace };
}

async function toAuth(user: string, req: ingestV1.AddMailboxRequest, policy: SecretRefPolicy): Promise<MailboxAuth | MailboxAuthRef> {
  if (req.password && req.accessToken) throw invalid(C.secretRequired, 'a password or an OAuth2 access token, not both');
  const source = req.password ?? req.accessToken;
  const kind = req.password ? 'password' : 'access token';
  if (!source) throw invalid(C.secretRequired, 'a password or an OAuth2 access token is required (a value, a file or an environment variable)');
  if (source.value !== undefined) {
    if (!source.value || source.value.length > MAX_SECRET_CHARS || /[\r\n\0]/.test(source.value)) {
      throw invalid(C.secretRequired, `${kind}: 1-${MAX_SECRET_CHARS} characters without CR, LF or NUL`);
    }
    return req.password ? { user, password: source.value } : { user, accessToken: source.value };
  }
  const ref: SecretRef | undefined = source.file !== undefined ? { file: source.file } : source.env !== undefined ? { env: source.env } : undefined;
  if (!ref) throw invalid(C.secretRequired, `${kind}: give a value, a file or an environment variable`);
  await checkSecretRef(ref, policy);
  return req.password ? { user, passwordRef: ref } : { user, accessTokenRef: ref };
}

function toAfter(after: ingestV1.AfterProcessing | undefined, folder: string): AfterProcessing {
  if (after?.moveToFolder !== undefined) {
    checkFolder(after.moveToFolder, 'move-to folder');
    if (after.moveToFolder === folder) throw invalid(C.invalidAfter, `move-to folder: must differ from the folder read (${folder})`);
    return { kind: 'move', folder: after.moveToFolder };
  }
  const flag = after?.flag || DEFAULT_PROCESSED_FLAG;
  if (flag.startsWith('\\') ? !SYSTEM_FLAGS.has(flag) : !KEYWORD.test(flag)) {
    throw invalid(C.invalidAfter, `flag: a keyword such as ${DEFAULT_PROCESSED_FLAG}, or one of ${[...SYSTEM_FLAGS].join(', ')} (got '${flag}')`);
  }
  return { kind: 'flag', flag };
}

function checkFolder(name: string, field: string): void {
  // '*' and '%' are LIST wildcards (RFC 3501 §6.3.8), never part of one folder's name here.
  if (!name || name.length > 255 || CONTROL.test(name) || /[*%]/.test(name)) {
    throw invalid(field === 'folder' ? C.invalidFolder : C.invalidAfter, `${field}: 1-255 characters, no control characters or wildcards (got '${name}')`);
  }
}
