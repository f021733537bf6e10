#!/usr/bin/env bash
# Runs every test: unit tests, the storage/API/security suite on SQLite and on
# PostgreSQL (DATABASE at 127.0.0.1:5432, or CHARTER_TEST_PG; skipped with a
# message when none is reachable), and the Playwright tests in Chromium against a
# freshly built app on a fresh database.
set -euo pipefail
cd "$(dirname "$0")"
scripts/setup.sh --e2e
export PATH="$HOME/.cargo/bin:$PATH"
echo "==> Building the app (server + browser bundle)"
cargo leptos build
echo "==> Unit tests"
cargo test -p app --features ssr --lib
echo "==> Storage, server-function and security tests (SQLite and PostgreSQL)"
cargo test -p server
echo "==> End-to-end tests in Chromium"
(cd end2end && npx playwright test)
