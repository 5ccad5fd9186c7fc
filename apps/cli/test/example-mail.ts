import { join } from 'node:path';
import { findWorkspaceRoot } from '@inviteflow/infra';

// The example invitations the project wrote itself (examples/mail), used by the README
// walk-through and by the tests that only need "an invitation": no corpus needed for them.
const root = findWorkspaceRoot(__dirname);

/** Marge (marge@example.com) invites Homer (homer@example.org), Outlook style, W. Europe time. */
export const MARGE_INVITES_HOMER = {
  file: join(root, 'examples/mail/marge-invites-homer.eml'),
  uid: '040000008200E00074C5B7101A82E00800000000A1B2C3D4E5F6DA0100000000000000001000000049464C4F5720455841504C4531',
  messageId: '<DB9PR02MB7001A1B2C3D4E5F6A7B8C9D0E1F2A3B4C5@DB9PR02MB7001.eurprd02.prod.outlook.example.com>',
  // 10:00–11:00 W. Europe Standard Time (UTC+1 on 12 March) = 09:00–10:00 UTC.
  start: '2026-03-12T09:00:00.000Z',
  end: '2026-03-12T10:00:00.000Z',
} as const;

/** Another meeting (its own UID) for h.simpson@example.org, whom nobody holds until `alias add`. */
export const MARGE_INVITES_H_SIMPSON = {
  file: join(root, 'examples/mail/marge-invites-h-simpson.eml'),
  uid: '040000008200E00074C5B7101A82E00800000000B2C3D4E5F6A7DA0100000000000000001000000049464C4F5720455841504C4532',
  start: '2026-03-19T17:00:00.000Z',
} as const;
