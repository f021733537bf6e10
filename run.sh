#!/usr/bin/env bash
# Builds Charter and serves it at http://127.0.0.1:3000 on ./data/charter.db
# (created, migrated and filled with the demo company on first start).
# `./run.sh --release` builds the optimised version (wasm-opt, size-optimised bundle).
set -euo pipefail
cd "$(dirname "$0")"
PROFILE=debug; FLAG=""
if [ "${1:-}" = "--release" ]; then PROFILE=release; FLAG="--release"; fi
scripts/setup.sh ${FLAG}
export PATH="$PWD/scripts/node_modules/.bin:$HOME/.cargo/bin:$PATH"
source scripts/leptos-env.sh
# cargo-leptos sets `--cfg erase_components` for debug builds itself (see test.sh).
unset RUSTFLAGS
echo "==> Building (the first build takes several minutes)"
cargo leptos build $FLAG
echo "==> Starting Charter"
exec env LEPTOS_SITE_ROOT=target/site "target/$PROFILE/server" serve
