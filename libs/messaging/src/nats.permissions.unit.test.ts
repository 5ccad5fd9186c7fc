import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SUBJECTS } from '@inviteflow/contracts';
import { NATS_IDENTITIES, NATS_PERMISSIONS, SERVICE_NATS_IDENTITIES, nkeyVariable, renderNatsAuthorization } from './nats.permissions';

const K8S_CONF = join(__dirname, '../../../k8s/components/nats-auth/nats-auth.conf');
/** Kubernetes gets the services and the operator's CLI; never the test suite's broad user. */
const K8S_IDENTITIES = [...SERVICE_NATS_IDENTITIES, 'cli'] as const;

/** Would NATS let a user with these allow-rules publish to `subject`? (`*` one token, `>` the rest.) */
function allows(rules: readonly string[], subject: string): boolean {
  const tokens = subject.split('.');
  return rules.some((rule) => {
    const parts = rule.split('.');
    for (let i = 0; i < parts.length; i++) {
      if (parts[i] === '>') return tokens.length > i;
      if (parts[i] !== '*' && parts[i] !== tokens[i]) return false;
    }
    return parts.length === tokens.length;
  });
}

describe('NATS permission table', () => {
  test.each([
    ['parser', SUBJECTS.appointmentScheduledV1],
    ['parser', SUBJECTS.mailOutboundRequestedV1],
    ['ingest', SUBJECTS.inviteParsedV1],
    ['identity', SUBJECTS.mailReceivedV1],
    ['outbound-mail', SUBJECTS.appointmentUpdatedV1],
    ['appointment', SUBJECTS.mailSentV1],
  ] as const)('Given %s, When it would publish %s, Then the table does not allow it', (identity, subject) => {
    expect(allows(NATS_PERMISSIONS[identity].publish, subject)).toBe(false);
  });

  test('Given any service, When its rules are read, Then none may delete or purge a stream (but ingest its raw-mail objects) or publish everywhere', () => {
    for (const id of SERVICE_NATS_IDENTITIES) {
      const rules = [...NATS_PERMISSIONS[id].publish, ...NATS_PERMISSIONS[id].subscribe];
      const allowed = id === 'ingest' ? ['$JS.API.STREAM.PURGE.OBJ_raw-mail'] : [];
      expect(rules.filter((r) => /DELETE|PURGE|^>$|^\$JS\.API\.>$/.test(r))).toEqual(allowed);
    }
  });

  test('When the authorization block is rendered, Then every identity is a user whose nkey comes from its variable', () => {
    const text = renderNatsAuthorization();
    for (const id of NATS_IDENTITIES) expect(text).toContain(`{ nkey: $${nkeyVariable(id)}, permissions: {`);
    expect(nkeyVariable('outbound-mail')).toBe('INVITEFLOW_NKEY_OUTBOUND_MAIL');
  });

  test('When the table changes, Then k8s/components/nats-auth/nats-auth.conf says the same (regenerate with UPDATE_DOCS=1)', () => {
    const expected = renderNatsAuthorization(K8S_IDENTITIES);
    if (process.env['UPDATE_DOCS'] === '1') writeFileSync(K8S_CONF, expected);
    expect(readFileSync(K8S_CONF, 'utf8')).toBe(expected);
  });
});
