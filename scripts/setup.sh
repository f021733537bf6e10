#!/usr/bin/env bash
# Installs whatever Charter's build and tests need and is missing. Never asks.
# Usage: scripts/setup.sh [--e2e] [--release]
#   --e2e      Chromium and the Playwright npm package, for the end-to-end tests
#   --release  wasm-opt (binaryen 132 from npm), which release builds run
set -euo pipefail
cd "$(dirname "$0")/.."
E2E=0; RELEASE=0
for a in "$@"; do
  case "$a" in
    --e2e) E2E=1 ;;
    --release) RELEASE=1 ;;
    *) echo "unknown option $a"; exit 2 ;;
  esac
done
say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
export PATH="$HOME/.cargo/bin:$PATH"

command -v cargo >/dev/null || { echo "Rust (cargo) is required: https://rustup.rs"; exit 1; }

apt_missing=()
command -v pkg-config >/dev/null || apt_missing+=(pkg-config)
command -v cc >/dev/null || apt_missing+=(build-essential)
if [ "$E2E" = 1 ] || [ "$RELEASE" = 1 ]; then
  command -v npm >/dev/null || apt_missing+=(nodejs npm)
fi
if [ "$E2E" = 1 ]; then
  command -v chromium >/dev/null || apt_missing+=(chromium)
fi
if [ ${#apt_missing[@]} -gt 0 ]; then
  say "Installing Debian packages: ${apt_missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${apt_missing[@]}"
fi

if ! rustup target list --installed | grep -q wasm32-unknown-unknown; then
  say "Adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if ! cargo leptos --version 2>/dev/null | grep -q "0.3.10"; then
  say "Installing cargo-leptos 0.3.10 (takes about 15 minutes, once)"
  cargo install --locked cargo-leptos@0.3.10 --features no_downloads
fi

WB=$(grep -A1 'name = "wasm-bindgen"' Cargo.lock | grep version | head -1 | cut -d'"' -f2)
if ! wasm-bindgen --version 2>/dev/null | grep -q "$WB"; then
  say "Installing wasm-bindgen-cli $WB (must match the wasm-bindgen crate)"
  cargo install --force wasm-bindgen-cli@"$WB"
fi

if [ "$RELEASE" = 1 ] && [ ! -x scripts/node_modules/.bin/wasm-opt ]; then
  say "Installing wasm-opt (binaryen 132 from npm; Debian's is too old for rustc's output)"
  (cd scripts && npm ci --no-audit --no-fund)
fi

if [ "$E2E" = 1 ]; then
  NODE_MAJOR=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
  if [ "$NODE_MAJOR" -lt 20 ]; then
    echo "Playwright needs Node.js 20 or newer (found $(node --version 2>/dev/null || echo none))."
    echo "Install Node.js 20 (e.g. Debian's nodejs from bookworm-backports or NodeSource) and run again."
    exit 1
  fi
  if [ ! -d end2end/node_modules/@playwright/test ]; then
    say "Installing Playwright (Node.js packages; the browser is Debian's Chromium)"
    (cd end2end && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund)
  fi
fi
