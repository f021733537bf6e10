#!/usr/bin/env bash
# Builds Charter and serves it at http://127.0.0.1:3000 on ./data/charter.db
# (created, migrated and filled with the demo company on first start).
# `./run.sh --release` builds the optimised version.
set -euo pipefail
cd "$(dirname "$0")"
scripts/setup.sh
export PATH="$HOME/.cargo/bin:$PATH"
PROFILE=debug; FLAG=""
if [ "${1:-}" = "--release" ]; then PROFILE=release; FLAG="--release"; fi
echo "==> Building (first build takes several minutes)"
cargo leptos build $FLAG
echo "==> Starting Charter"
exec env LEPTOS_SITE_ROOT=target/site "target/$PROFILE/server" serve
