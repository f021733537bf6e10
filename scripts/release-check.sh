#!/usr/bin/env bash
# Builds the release version (optimised server, size-optimised and wasm-opt'ed
# bundle) and runs the end-to-end tests against it: the check that the shipped
# bundle hydrates. Not part of ./test.sh (a cold release build takes long).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --e2e --release
export PATH="$PWD/scripts/node_modules/.bin:$HOME/.cargo/bin:$PATH"
cargo leptos build --release
(cd end2end && CHARTER_PROFILE=release npx playwright test)
echo "==> Release bundle: $(du -h target/site/pkg/charter.wasm | cut -f1) (before compression)"
echo "    Run ./test.sh (or cargo leptos build) before debug end-to-end tests again: target/site now holds the release bundle."
