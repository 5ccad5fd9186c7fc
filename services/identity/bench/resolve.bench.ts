import { MongoClient } from 'mongodb';
import { findWorkspaceRoot, infraPaths, LocalMongo, startLocalMongo } from '@inviteflow/infra';
import { identityV1 } from '@inviteflow/proto-gen';
import { callUnary, clientChannelOptions, clientCredentials } from '@inviteflow/rpc';
import { serviceNatsEnv, testGrpcSecurity, testNatsUrl, uniqueSuffix, writeBenchReport } from '@inviteflow/testing';
import { COLLECTIONS } from '../src/data/directory.documents';
import { associateAlias, associatePrimary, growDirectory, personAddress } from './directory.fill';
import { IdentityProcess, rssMiB, startIdentityProcess } from './identity.process';

// `./dev bench identity`. ResolveAddresses over gRPC, batches of 10, against the built identity
// service as its own process, with 10 000 / 100 000 / 1 000 000 addresses in the directory;
// the time to import 100 000 persons through ImportDirectory; the service's resident memory.
// MongoDB: BENCH_MONGO_URL if set (a real MongoDB), else a stand-in of our own with a heap big
// enough for a million addresses (the test stand-in has 512 MB).
const SIZES = (process.env['BENCH_SIZES'] ?? '10000,100000,1000000').split(',').map(Number);
const CALLS = Number(process.env['BENCH_CALLS'] ?? 2000);
const IMPORT_PERSONS = Number(process.env['BENCH_IMPORT_PERSONS'] ?? 100_000);
const HEAP_MB = Number(process.env['BENCH_MONGO_HEAP_MB'] ?? 6144);
const root = findWorkspaceRoot(__dirname);

type Stats = { n: number; p50: number; p90: number; p99: number; mean: number };

function stats(ms: number[]): Stats {
  const s = [...ms].sort((a, b) => a - b);
  const at = (p: number): number => s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
  const r = (x: number): number => Math.round(x * 100) / 100;
  return { n: s.length, p50: r(at(50)), p90: r(at(90)), p99: r(at(99)), mean: r(s.reduce((a, b) => a + b, 0) / s.length) };
}

async function timed(times: number, fn: (i: number) => Promise<unknown>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < times; i++) {
    const t0 = performance.now();
    await fn(i);
    out.push(performance.now() - t0);
  }
  return out;
}

const pick = (max: number): number => Math.floor(Math.random() * max);

/** 4 associate addresses (primary or alias), 4 person addresses, 2 nobody holds. */
function batchOf10(size: number): string[] {
  const a = size / 4;
  const p = size / 2;
  return [
    associatePrimary(pick(a)), associateAlias(pick(a)), associatePrimary(pick(a)), associateAlias(pick(a)),
    personAddress(pick(p)), personAddress(pick(p)), personAddress(pick(p)), personAddress(pick(p)),
    `nobody${pick(1e9)}@corp.example`, `nobody${pick(1e9)}@client.example`,
  ];
}

describe('identity benchmark', () => {
  let mongo: LocalMongo | undefined;
  let mongoUrl: string;
  let client: MongoClient;
  const report: Record<string, unknown> = { when: new Date().toISOString(), calls: CALLS };

  beforeAll(async () => {
    if (process.env['BENCH_MONGO_URL']) {
      mongoUrl = process.env['BENCH_MONGO_URL'];
      report['mongo'] = 'BENCH_MONGO_URL';
    } else {
      mongo = await startLocalMongo(infraPaths(), { backend: { kind: 'memory' }, heapMb: HEAP_MB, name: 'mongo-identity-bench' });
      mongoUrl = mongo.url;
      report['mongo'] = `stand-in (mongo-java-server, memory backend, -Xmx${HEAP_MB}m)`;
    }
    client = await MongoClient.connect(mongoUrl);
  }, 120_000);

  afterAll(async () => {
    await client?.close();
    await mongo?.proc.stop();
    writeBenchReport('identity-bench', report);
  }, 60_000);

  async function withIdentity<T>(dbName: string, fn: (p: IdentityProcess, c: identityV1.IdentityServiceClient) => Promise<T>): Promise<T> {
    const p = await startIdentityProcess(root, { NATS_URL: testNatsUrl(), ...serviceNatsEnv('identity'), MONGO_URL: mongoUrl, MONGO_DB: dbName });
    const cli = testGrpcSecurity().client('cli');
    const c = new identityV1.IdentityServiceClient(`127.0.0.1:${p.grpcPort}`, clientCredentials(cli), clientChannelOptions(`127.0.0.1:${p.grpcPort}`, cli));
    try {
      return await fn(p, c);
    } finally {
      c.close();
      await p.stop();
    }
  }

  test(`import of ${IMPORT_PERSONS} persons through ImportDirectory`, async () => {
    const dbName = `bench_import_${uniqueSuffix()}`;
    const rows = Array.from({ length: IMPORT_PERSONS }, (_, i) => identityV1.ImportRow.fromPartial({
      ref: `persons[${i}]`, person: { name: `Imported ${i}`, company: 'Import Ltd', addresses: [`imp${i}@import.example`] },
    }));
    const run = (c: identityV1.IdentityServiceClient) => async (): Promise<{ ms: number; outcomes: Record<number, number> }> => {
      const outcomes: Record<number, number> = {};
      const t0 = performance.now();
      for (let i = 0; i < rows.length; i += 1000) {
        const res = await callUnary<identityV1.ImportDirectoryResponse>((md, o, cb) => c.importDirectory(identityV1.ImportDirectoryRequest.fromPartial({ rows: rows.slice(i, i + 1000) }), md, o, cb), 120_000);
        expect(res.complete).toBe(true);
        for (const r of res.results) outcomes[r.outcome] = (outcomes[r.outcome] ?? 0) + 1;
      }
      return { ms: performance.now() - t0, outcomes };
    };
    report['import'] = await withIdentity(dbName, async (p, c) => {
      const first = await run(c)();
      const again = await run(c)();
      expect(first.outcomes[identityV1.ImportOutcome.IMPORT_OUTCOME_CREATED]).toBe(IMPORT_PERSONS);
      expect(again.outcomes[identityV1.ImportOutcome.IMPORT_OUTCOME_UNCHANGED]).toBe(IMPORT_PERSONS);
      return {
        persons: IMPORT_PERSONS, chunkRows: 1000,
        firstSeconds: Math.round(first.ms / 100) / 10, firstRowsPerSecond: Math.round(IMPORT_PERSONS / (first.ms / 1000)),
        reimportSeconds: Math.round(again.ms / 100) / 10, reimportRowsPerSecond: Math.round(IMPORT_PERSONS / (again.ms / 1000)),
        identityRssMiB: p.rssMiB(),
      };
    });
    await client.db(dbName).dropDatabase();
  }, 60 * 60_000);

  test(`ResolveAddresses, batches of 10, directories of ${SIZES.join(' / ')} addresses`, async () => {
    const dbName = `bench_resolve_${uniqueSuffix()}`;
    const db = client.db(dbName);
    const results: Array<Record<string, unknown>> = [];
    await withIdentity(dbName, async (p, c) => {
      const resolve = (addresses: string[]) => callUnary<identityV1.ResolveAddressesResponse>((md, o, cb) => c.resolveAddresses({ addresses }, md, o, cb), 5000);
      let filled = 0;
      for (const size of SIZES) {
        const t0 = performance.now();
        await growDirectory(db, filled, size);
        filled = size;
        const fillSeconds = Math.round((performance.now() - t0) / 100) / 10;
        // Sanity: the answers are right, whatever the size.
        const sample = await resolve(batchOf10(size));
        expect(sample.results.map((r) => r.kind)).toEqual([1, 1, 1, 1, 2, 2, 2, 2, 4, 4]);
        expect(sample.results[1]!.matchedBy).toBe(identityV1.MatchedBy.MATCHED_BY_ALIAS);
        await timed(200, () => resolve(batchOf10(size)));
        const grpc = stats(await timed(CALLS, () => resolve(batchOf10(size))));
        // How to look 10 keys up: one $in over _id, or ten findOne by _id (in parallel).
        const claims = db.collection(COLLECTIONS.addressClaims);
        const keys = (): string[] => batchOf10(size);
        const inQuery = stats(await timed(500, () => claims.find({ _id: { $in: keys() as never[] } }).toArray()));
        const findOnes = stats(await timed(500, () => Promise.all(keys().map((k) => claims.findOne({ _id: k as never })))));
        const row = {
          addresses: size, documents: await countAll(db), fillSeconds, resolveBatch10Ms: grpc,
          claimLookup10Ms: { inOnId: inQuery, parallelFindOneById: findOnes },
          identityRssMiB: p.rssMiB(), mongoRssMiB: mongo ? rssMiB(mongo.proc.child.pid!) : null,
        };
        results.push(row);
        process.stdout.write(`[bench] ${JSON.stringify(row)}\n`);
      }
    });
    report['resolve'] = results;
    await db.dropDatabase();
  }, 60 * 60_000);
});

async function countAll(db: ReturnType<MongoClient['db']>): Promise<number> {
  let n = 0;
  for (const c of Object.values(COLLECTIONS)) n += await db.collection(c).estimatedDocumentCount();
  return n;
}
