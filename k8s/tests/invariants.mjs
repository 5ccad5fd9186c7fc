// Invariants on the output of one `kustomize build`. Pure functions: a list of Kubernetes
// objects in, a list of human-readable problems out. check.mjs does the building and I/O.

/**
 * Port names the house style allows (house-style.md §9): `grpc`, `http-health`, `smtp`, and
 * `http-rsvp` for outbound-mail's RSVP link endpoint. Named `<protocol>-<purpose>` as
 * `http-health` is, so a mesh or an ingress that reads the protocol from the name treats it as HTTP.
 */
const PORT_NAMES = new Set(['grpc', 'http-health', 'http-rsvp', 'smtp']);
/** The listening address and port variables each named port must agree with. */
const PORT_BINDS = {
  'http-health': ['HEALTH_HOST', 'HEALTH_PORT'],
  grpc: ['GRPC_HOST', 'GRPC_PORT'],
  smtp: ['SMTP_HOST', 'SMTP_PORT'],
  'http-rsvp': ['RSVP_HTTP_HOST', 'RSVP_HTTP_PORT'],
};
/** Used when check.mjs could not read the Secret column of docs/configuration.md. */
const DEFAULT_SECRET_VARS = ['MONGO_URL'];
/** readiness.checks.ts DEFAULT_CHECK_TIMEOUT_MS: /readyz may take this long to answer 503. */
const READY_CHECK_TIMEOUT_MS = 2000;
/** common.config.ts SHUTDOWN_TIMEOUT_MS default, used when a pod does not set it. */
const DEFAULT_SHUTDOWN_TIMEOUT_MS = 10000;

const byKind = (objects, kind) => objects.filter((o) => o.kind === kind);
const nameOf = (o) => `${o.kind}/${o.metadata?.name}`;
const isSubset = (small = {}, big = {}) => Object.entries(small).every(([k, v]) => big[k] === v);
const templateLabels = (dep) => dep.spec?.template?.metadata?.labels ?? {};

/**
 * @param {object[]} objects every object of one build
 * @param {{ requireImageTags: boolean, expectNetworkPolicies: boolean, contracts: object, secretVars?: string[] }} ctx
 */
export function checkBuild(objects, ctx) {
  return [
    ...byKind(objects, 'Secret').map((s) => `${nameOf(s)}: secrets are referenced, never committed`),
    ...byKind(objects, 'Deployment').flatMap((d) => checkDeployment(d, objects, ctx)),
    ...byKind(objects, 'Service').flatMap((s) => checkService(s, objects)),
    ...checkNetworkPolicies(objects, ctx),
    ...byKind(objects, 'Ingress').flatMap((i) => checkIngress(i, objects)),
    ...byKind(objects, 'PodDisruptionBudget').flatMap((p) => checkPdb(p, objects)),
    ...byKind(objects, 'ScaledObject').flatMap((s) => checkScaledObject(s, objects, ctx.contracts)),
    ...checkStreams(objects, ctx.contracts),
  ];
}

/** Environment of a container as the pod will see it: envFrom ConfigMaps, then env. */
export function resolveEnv(container, objects) {
  const env = new Map();
  for (const source of container.envFrom ?? []) {
    const ref = source.configMapRef?.name;
    const cm = byKind(objects, 'ConfigMap').find((c) => c.metadata.name === ref);
    for (const [k, v] of Object.entries(cm?.data ?? {})) env.set(k, { value: String(v) });
  }
  for (const e of container.env ?? []) env.set(e.name, e.valueFrom ? { from: e.valueFrom } : { value: String(e.value ?? '') });
  return env;
}

const portsByName = (container) => new Map((container.ports ?? []).map((p) => [p.name, p.containerPort]));

function checkDeployment(dep, objects, ctx) {
  const where = nameOf(dep);
  const pod = dep.spec?.template?.spec ?? {};
  const problems = [];
  if (!isSubset(dep.spec?.selector?.matchLabels, templateLabels(dep)) || !dep.spec?.selector?.matchLabels) {
    problems.push(`${where}: selector does not match its pod template labels`);
  }
  if (templateLabels(dep)['app.kubernetes.io/name'] !== dep.metadata.name) {
    problems.push(`${where}: pod template needs app.kubernetes.io/name=${dep.metadata.name}`);
  }
  if (!byKind(objects, 'ServiceAccount').some((sa) => sa.metadata.name === pod.serviceAccountName)) {
    problems.push(`${where}: serviceAccountName "${pod.serviceAccountName}" has no ServiceAccount in the build`);
  }
  for (const c of pod.containers ?? []) {
    const env = resolveEnv(c, objects);
    const w = `${where} container ${c.name}`;
    problems.push(
      ...checkSecurity(pod, c, w), ...checkPorts(c, env, w), ...checkProbes(c, env, w), ...checkResources(c, w),
      ...checkGrace(pod, c, env, w), ...checkImage(dep, c, ctx, w),
    );
    // Variables docs/configuration.md marks secret: referenced from a Secret, never a value here.
    for (const name of ctx.secretVars ?? DEFAULT_SECRET_VARS) {
      const v = env.get(name);
      if (v && !v.from?.secretKeyRef) problems.push(`${w}: ${name} must come from a secretKeyRef`);
    }
  }
  problems.push(...checkScrapeAnnotations(dep, where));
  return problems;
}

function checkSecurity(pod, c, w) {
  const psc = pod.securityContext ?? {};
  const sc = c.securityContext ?? {};
  const problems = [];
  if ((sc.runAsNonRoot ?? psc.runAsNonRoot) !== true) problems.push(`${w}: runAsNonRoot must be true`);
  if ((sc.seccompProfile ?? psc.seccompProfile)?.type !== 'RuntimeDefault') problems.push(`${w}: seccompProfile must be RuntimeDefault`);
  if (sc.readOnlyRootFilesystem !== true) problems.push(`${w}: readOnlyRootFilesystem must be true`);
  if (sc.allowPrivilegeEscalation !== false) problems.push(`${w}: allowPrivilegeEscalation must be false`);
  if (!(sc.capabilities?.drop ?? []).includes('ALL')) problems.push(`${w}: capabilities must drop ALL`);
  return problems;
}

// Named ports, and the env vars that choose the listening ports agree with them.
function checkPorts(c, env, w) {
  const problems = [];
  const ports = portsByName(c);
  for (const p of c.ports ?? []) {
    if (!PORT_NAMES.has(p.name)) problems.push(`${w}: port ${p.containerPort} needs a name from ${[...PORT_NAMES].join(', ')}`);
  }
  if (!ports.has('http-health')) problems.push(`${w}: needs an http-health port (probes, /metrics)`);
  for (const [portName, [hostVar, portVar]] of Object.entries(PORT_BINDS)) {
    if (!ports.has(portName)) continue;
    if (env.get(hostVar)?.value !== '0.0.0.0') problems.push(`${w}: ${hostVar} must be 0.0.0.0 so the ${portName} port is reachable`);
    if (Number(env.get(portVar)?.value) !== ports.get(portName)) {
      problems.push(`${w}: ${portVar}=${env.get(portVar)?.value} differs from the ${portName} containerPort ${ports.get(portName)}`);
    }
  }
  return problems;
}

// gRPC servers are probed for readiness with grpc.health.v1 (it follows the same dependency
// checks as /readyz) or GET /readyz; liveness is always GET /healthz, which never looks at
// dependencies, so a NATS or MongoDB outage takes pods out of rotation instead of restarting them.
// A gRPC server with TLS (GRPC_TLS_CERT_FILE, components/grpc-tls) must use /readyz: kubelet
// gRPC probes cannot speak TLS.
function checkProbes(c, env, w) {
  const problems = [];
  const ports = portsByName(c);
  const httpPort = (probe) => probe.httpGet.port === 'http-health' || probe.httpGet.port === ports.get('http-health');
  for (const [kind, path] of [['readinessProbe', '/readyz'], ['livenessProbe', '/healthz']]) {
    const probe = c[kind];
    if (!probe) {
      problems.push(`${w}: ${kind} missing`);
    } else if (ports.has('grpc') && kind === 'readinessProbe' && probe.grpc) {
      if (env.has('GRPC_TLS_CERT_FILE')) problems.push(`${w}: ${kind} must GET /readyz on http-health: kubelet grpc probes cannot speak TLS`);
      else if (probe.grpc.port !== ports.get('grpc')) problems.push(`${w}: ${kind} must be a grpc probe on port ${ports.get('grpc')}`);
    } else if (probe.httpGet?.path !== path || !httpPort(probe)) {
      problems.push(`${w}: ${kind} must GET ${path} on http-health`);
    }
  }
  if (c.startupProbe?.grpc && env.has('GRPC_TLS_CERT_FILE')) problems.push(`${w}: startupProbe cannot be a grpc probe with TLS on`);
  const ready = c.readinessProbe?.httpGet ? c.readinessProbe : undefined;
  if (ready && (ready.timeoutSeconds ?? 1) * 1000 <= READY_CHECK_TIMEOUT_MS) {
    problems.push(`${w}: readinessProbe timeoutSeconds must exceed the ${READY_CHECK_TIMEOUT_MS} ms check budget of /readyz`);
  }
  return problems;
}

function checkResources(c, w) {
  const r = c.resources ?? {};
  const missing = ['requests.cpu', 'requests.memory', 'limits.cpu', 'limits.memory'].filter((k) => {
    const [group, key] = k.split('.');
    return r[group]?.[key] === undefined;
  });
  return missing.length ? [`${w}: resources missing ${missing.join(', ')}`] : [];
}

// SIGKILL comes at terminationGracePeriodSeconds, counted from the start of preStop.
function checkGrace(pod, c, env, w) {
  const grace = pod.terminationGracePeriodSeconds;
  const shutdownMs = Number(env.get('SHUTDOWN_TIMEOUT_MS')?.value ?? DEFAULT_SHUTDOWN_TIMEOUT_MS);
  const preStop = c.lifecycle?.preStop?.sleep?.seconds ?? 0;
  if (typeof grace !== 'number' || grace <= 10) return [`${w}: terminationGracePeriodSeconds must be set above 10`];
  if (grace <= preStop + shutdownMs / 1000) {
    return [`${w}: terminationGracePeriodSeconds ${grace} must exceed preStop ${preStop}s + SHUTDOWN_TIMEOUT_MS ${shutdownMs} ms`];
  }
  return [];
}

function checkImage(dep, c, ctx, w) {
  const problems = [];
  const name = dep.metadata.name;
  if (!c.image?.startsWith(`inviteflow/${name}`)) problems.push(`${w}: image must be inviteflow/${name}, is ${c.image}`);
  if (ctx.requireImageTags && !/[:@]/.test(c.image?.replace(/^[^/]*\//, '') ?? '')) problems.push(`${w}: overlays must set an image tag or digest`);
  if (!(c.command ?? []).concat(c.args ?? []).includes(`dist/services/${name}/main.js`)) {
    problems.push(`${w}: must run dist/services/${name}/main.js`);
  }
  return problems;
}

function checkScrapeAnnotations(dep, where) {
  const a = dep.spec?.template?.metadata?.annotations ?? {};
  const healthPorts = (dep.spec?.template?.spec?.containers ?? []).map((c) => portsByName(c).get('http-health'));
  if (a['prometheus.io/scrape'] !== 'true' || a['prometheus.io/path'] !== '/metrics' || !healthPorts.includes(Number(a['prometheus.io/port']))) {
    return [`${where}: pod template needs prometheus.io/scrape "true", path /metrics and port = the http-health port`];
  }
  return [];
}

function checkService(svc, objects) {
  const where = nameOf(svc);
  const selector = svc.spec?.selector;
  if (!selector || Object.keys(selector).length === 0) return [`${where}: needs a selector`];
  const deps = byKind(objects, 'Deployment').filter((d) => isSubset(selector, templateLabels(d)));
  if (deps.length === 0) return [`${where}: selector ${JSON.stringify(selector)} matches no Deployment`];
  const problems = [];
  for (const p of svc.spec.ports ?? []) {
    if (!p.name) problems.push(`${where}: port ${p.port} needs a name`);
    const target = p.targetPort ?? p.port;
    const found = deps.every((d) => d.spec.template.spec.containers.some((c) => (c.ports ?? []).some((cp) => cp.name === target || cp.containerPort === target)));
    if (!found) problems.push(`${where}: targetPort ${target} is not a port of ${deps.map((d) => d.metadata.name).join(', ')}`);
  }
  return problems;
}

const isDefaultDeny = (np) =>
  Object.keys(np.spec?.podSelector ?? {}).length === 0 && ['Ingress', 'Egress'].every((t) => np.spec?.policyTypes?.includes(t)) &&
  !(np.spec.ingress?.length) && !(np.spec.egress?.length);

function checkNetworkPolicies(objects, ctx) {
  const policies = byKind(objects, 'NetworkPolicy');
  if (policies.length === 0 && !ctx.expectNetworkPolicies) return [];
  if (!policies.some(isDefaultDeny)) return ['NetworkPolicy: a default-deny policy (empty podSelector, Ingress and Egress, no rules) is required'];
  return [
    ...byKind(objects, 'Deployment').flatMap((d) => checkPolicyCoverage(d, policies.filter((p) => !isDefaultDeny(p)), objects)),
    ...policies.flatMap(checkHealthIngress),
  ];
}

/** The namespace Prometheus runs in; the only source allowed to reach http-health (issue 15 §6). */
const MONITORING_NAMESPACE = 'monitoring';

// /metrics and /healthz /readyz answer anyone who reaches them, so only the monitoring
// namespace may (kubelet probes come from the node, outside NetworkPolicy on mainstream CNIs).
function checkHealthIngress(np) {
  const rules = (np.spec?.ingress ?? []).filter((r) => (r.ports ?? []).some((p) => p.port === 'http-health'));
  const monitoringOnly = (r) => (r.from ?? []).length > 0 && r.from.every((f) =>
    f.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name'] === MONITORING_NAMESPACE && !f.podSelector && !f.ipBlock);
  return rules.filter((r) => !monitoringOnly(r)).map(() => `${nameOf(np)}: http-health may be reached from the ${MONITORING_NAMESPACE} namespace only`);
}

// Under default-deny, a service works only if some policy opens what its config says it uses.
function checkPolicyCoverage(dep, policies, objects) {
  const where = nameOf(dep);
  const mine = policies.filter((p) => isSubset(p.spec?.podSelector?.matchLabels, templateLabels(dep)));
  if (mine.length === 0) return [`${where}: no NetworkPolicy selects it; default-deny cuts it off`];
  const egressPorts = new Set(mine.flatMap((p) => (p.spec.egress ?? []).flatMap((r) => (r.ports ?? []).map((x) => `${x.protocol ?? 'TCP'}/${x.port}`))));
  const ingressPorts = new Set(mine.flatMap((p) => (p.spec.ingress ?? []).flatMap((r) => (r.ports ?? []).map((x) => x.port))));
  const c = dep.spec.template.spec.containers[0];
  const env = resolveEnv(c, objects);
  const needs = ['TCP/4222', 'UDP/53', 'TCP/53'];
  if (env.has('MONGO_URL')) needs.push('TCP/27017');
  // IDENTITY_GRPC_ADDR, APPOINTMENT_GRPC_ADDR, ...: host:port or dns:///host:port.
  for (const [name, v] of env) if (/_GRPC_ADDR$/.test(name) && v.value) needs.push(`TCP/${v.value.split(':').pop()}`);
  // The relay's port is in SMTP_RELAY_URL (a Secret) or defaults to 587 (smtp://) / 465 (smtps://).
  if (env.has('SMTP_RELAY_URL') || env.has('SMTP_RELAY_HOST')) {
    const port = env.get('SMTP_RELAY_PORT')?.value;
    needs.push(...(port ? [`TCP/${port}`] : ['TCP/587', 'TCP/465']));
  }
  const problems = needs.filter((n) => !egressPorts.has(n)).map((n) => `${where}: no NetworkPolicy allows egress ${n}`);
  for (const p of c.ports ?? []) {
    if (!ingressPorts.has(p.name) && !ingressPorts.has(p.containerPort)) problems.push(`${where}: no NetworkPolicy allows ingress to port ${p.name}`);
  }
  return problems;
}

// An Ingress must send traffic to a Service in the build, on a port that Service has.
function checkIngress(ing, objects) {
  const backends = [ing.spec?.defaultBackend, ...(ing.spec?.rules ?? []).flatMap((r) => (r.http?.paths ?? []).map((p) => p.backend))].filter(Boolean);
  return backends.flatMap(({ service }) => {
    const svc = byKind(objects, 'Service').find((s) => s.metadata.name === service?.name);
    if (!svc) return [`${nameOf(ing)}: backend Service ${service?.name} is not in the build`];
    const ok = (svc.spec.ports ?? []).some((p) => p.name === service.port?.name || p.port === service.port?.number);
    return ok ? [] : [`${nameOf(ing)}: Service/${svc.metadata.name} has no port ${service.port?.name ?? service.port?.number}`];
  });
}

function checkPdb(pdb, objects) {
  const dep = byKind(objects, 'Deployment').find((d) => isSubset(pdb.spec?.selector?.matchLabels, templateLabels(d)));
  if (!dep) return [`${nameOf(pdb)}: selector matches no Deployment`];
  const replicas = dep.spec.replicas ?? 1;
  if (pdb.spec.minAvailable !== undefined && Number(pdb.spec.minAvailable) >= replicas) {
    return [`${nameOf(pdb)}: minAvailable ${pdb.spec.minAvailable} with ${replicas} replica(s) blocks every node drain`];
  }
  return [];
}

function checkScaledObject(so, objects, contracts) {
  const where = nameOf(so);
  const dep = byKind(objects, 'Deployment').find((d) => d.metadata.name === so.spec?.scaleTargetRef?.name);
  if (!dep) return [`${where}: scaleTargetRef ${so.spec?.scaleTargetRef?.name} is not a Deployment in the build`];
  const problems = [];
  if (dep.spec.replicas !== undefined) problems.push(`${where}: Deployment/${dep.metadata.name} sets replicas; KEDA's HPA must own them`);
  for (const t of (so.spec.triggers ?? []).filter((x) => x.type === 'nats-jetstream')) {
    const known = contracts.consumers.some((c) => c.stream === t.metadata?.stream && c.durable === t.metadata?.consumer);
    if (!known) problems.push(`${where}: ${t.metadata?.stream}/${t.metadata?.consumer} is not a consumer in libs/contracts`);
  }
  return problems;
}

/** Go duration ("336h", "2m", "1h30m") in milliseconds. */
export function durationMs(text) {
  const units = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  const parts = [...String(text).matchAll(/(\d+(?:\.\d+)?)(ms|h|m|s)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== String(text)) return NaN;
  return parts.reduce((sum, [, n, unit]) => sum + Number(n) * units[unit], 0);
}

// NACK Streams must say what libs/contracts/src/streams.ts says: the services reconcile the
// same streams at every start, so any difference flips back and forth.
function checkStreams(objects, contracts) {
  const streams = byKind(objects, 'Stream');
  if (streams.length === 0) return [];
  const problems = [];
  // The services provision every stream with NATS_STREAM_REPLICAS (default 1) at each start.
  const configMaps = byKind(objects, 'ConfigMap').map((c) => c.data?.NATS_STREAM_REPLICAS).filter((v) => v !== undefined);
  const serviceReplicas = Number(configMaps[0] ?? 1);
  for (const want of contracts.streams) {
    const got = streams.find((s) => s.spec?.name === want.name);
    if (!got) { problems.push(`Stream ${want.name} (libs/contracts) is missing`); continue; }
    const w = nameOf(got);
    if ([...(got.spec.subjects ?? [])].sort().join() !== [...want.subjects].sort().join()) problems.push(`${w}: subjects ${got.spec.subjects} differ from ${want.subjects}`);
    if (durationMs(got.spec.maxAge) !== want.maxAgeMs) problems.push(`${w}: maxAge ${got.spec.maxAge} differs from ${want.maxAgeMs} ms`);
    if (durationMs(got.spec.duplicateWindow) !== want.duplicateWindowMs) problems.push(`${w}: duplicateWindow ${got.spec.duplicateWindow} differs from ${want.duplicateWindowMs} ms`);
    if (got.spec.storage !== 'file') problems.push(`${w}: storage must be file, as the services provision it`);
    if ((got.spec.replicas ?? 1) !== serviceReplicas) problems.push(`${w}: replicas ${got.spec.replicas}; the services provision NATS_STREAM_REPLICAS=${serviceReplicas} at every start`);
  }
  for (const s of streams) {
    if (!contracts.streams.some((c) => c.name === s.spec?.name)) problems.push(`${nameOf(s)}: ${s.spec?.name} is not a stream in libs/contracts`);
  }
  return problems;
}
