import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveEndpoints } from './endpoints';

// The CLI's gRPC credential (issue 15 §2): what `cluster up` wrote into cluster.json, each path
// overridable by INVITEFLOW_GRPC_*; paths only, never a key or token.
describe('where the CLI finds its gRPC credential', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'cli-endpoints-'));
  writeFileSync(join(dataDir, 'cluster.json'), JSON.stringify({ grpc: { caFile: '/d/ca.pem', tokenFile: '/d/cli.token', certFile: '/d/client.pem', keyFile: '/d/client.key', serverName: 'localhost' } }));
  const env = { INVITEFLOW_ROOT: dataDir, INVITEFLOW_DATA: dataDir };

  test('When only cluster up wrote the files, then the CLI uses them', () => {
    expect(resolveEndpoints(env).grpc).toEqual({ security: 'on', caFile: '/d/ca.pem', tokenFile: '/d/cli.token', certFile: '/d/client.pem', keyFile: '/d/client.key', serverName: 'localhost' });
  });

  test('When INVITEFLOW_GRPC_TOKEN_FILE is set, then it replaces that one path and keeps the others', () => {
    expect(resolveEndpoints({ ...env, INVITEFLOW_GRPC_TOKEN_FILE: '/elsewhere/crm.token' }).grpc).toMatchObject({ tokenFile: '/elsewhere/crm.token', caFile: '/d/ca.pem' });
  });

  test('When INVITEFLOW_GRPC_SECURITY=off, then security is off whatever the file says', () => {
    expect(resolveEndpoints({ ...env, INVITEFLOW_GRPC_SECURITY: 'off' }).grpc?.security).toBe('off');
  });
});
