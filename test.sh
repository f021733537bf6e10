#!/usr/bin/env bash
# Runs every test: unit tests, the storage/API/security suite on SQLite and on
# PostgreSQL (127.0.0.1:5432, or CHARTER_TEST_PG; skipped with a message when none
# is reachable), and the Playwright tests in Chromium against the freshly built app
# on a fresh database.
set -euo pipefail
cd "$(dirname "$0")"
scripts/setup.sh --e2e
export PATH="$HOME/.cargo/bin:$PATH"
source scripts/leptos-env.sh
# cargo-leptos adds `--cfg erase_components` to a debug build itself; with RUSTFLAGS from
# leptos-env.sh as well the flag would be doubled, the fingerprints would differ from
# `cargo test`'s and everything would be compiled twice.
leptos_build() { env -u RUSTFLAGS cargo leptos build "$@"; }
LOGS=$(mktemp -d)
echo "==> Building the app (server + browser bundle)"
leptos_build
echo "==> Unit tests"
cargo test -p app --features ssr --lib 2>&1 | tee "$LOGS/unit.log"
echo "==> Storage, server-function, security and command-line tests (SQLite and PostgreSQL)"
cargo test -p server 2>&1 | tee "$LOGS/server.log"
if grep -q "SKIPPED on PostgreSQL" "$LOGS/server.log"; then
  echo "!! PostgreSQL was not reachable: the PostgreSQL half of the suite was SKIPPED."
fi
echo "==> End-to-end tests in Chromium (against the cargo-leptos build)"
leptos_build
(cd end2end && npx playwright test) 2>&1 | tee "$LOGS/e2e.log"
# One closing line for the whole run.
passed=$(grep -hoE 'test result: ok\. [0-9]+ passed' "$LOGS/unit.log" "$LOGS/server.log" | awk '{s += $4} END {print s + 0}')
e2e=$(grep -oE '^ +[0-9]+ passed' "$LOGS/e2e.log" | grep -oE '[0-9]+' | tail -1)
rm -rf "$LOGS"
echo "total: $((passed + ${e2e:-0})) passed, 0 failed"
