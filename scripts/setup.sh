#!/usr/bin/env bash
# Installs everything the console needs to build, run and test on a fresh Debian 12 machine.
# Idempotent: every step checks first and skips itself when already satisfied.
# Usage: scripts/setup.sh [--build-only]   (--build-only skips Chromium and Keystone)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

TRUNK_VERSION="0.21.14"
WASM_SPLIT_VERSION="0.2.4"
LEPTOSFMT_VERSION="0.1.33"
KEYSTONE_VERSION="30.0.0"
TOOLS="$ROOT/.tools"
VENV="$ROOT/.venv-keystone"

build_only=false
[ "${1:-}" = "--build-only" ] && build_only=true

say() { printf '[setup] %s\n' "$*"; }

# The wasm-bindgen CLI must be the exact version Cargo.lock resolved for the crate.
wasm_bindgen_version() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$ROOT/Cargo.lock"
}

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi
if ! rustup component list --installed | grep -q '^clippy'; then rustup component add clippy; fi
if ! rustup component list --installed | grep -q '^rustfmt'; then rustup component add rustfmt; fi

if [ "$(trunk --version 2>/dev/null || true)" != "trunk $TRUNK_VERSION" ]; then
  say "installing trunk $TRUNK_VERSION (compiles from source, about 10 minutes, once)"
  # Trunk's own fat LTO halves nothing we need and doubles its compile time.
  CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
    cargo install trunk --locked --version "$TRUNK_VERSION"
fi

WB_VERSION="$(wasm_bindgen_version)"
if [ -z "$WB_VERSION" ]; then
  say "Cargo.lock names no wasm-bindgen version"; exit 1
fi
if [ "$(wasm-bindgen --version 2>/dev/null || true)" != "wasm-bindgen $WB_VERSION" ]; then
  say "installing wasm-bindgen-cli $WB_VERSION (about 3 minutes, once)"
  # Not --locked: its lock file names a crate version the registry does not serve.
  cargo install wasm-bindgen-cli --version "$WB_VERSION" --force
fi

# Cuts the wasm into per-page chunks after Trunk's build (scripts/split.py); Trunk 0.21 cannot.
if ! cargo install --list | grep -qx "wasm_split_cli_support v$WASM_SPLIT_VERSION:"; then
  say "installing wasm-split-cli $WASM_SPLIT_VERSION (about a minute, once)"
  cargo install wasm_split_cli_support --locked --version "$WASM_SPLIT_VERSION" --features build-binary
fi

# Formats the view! macros, which rustfmt leaves alone; the test command checks them.
if [ "$(leptosfmt --version 2>/dev/null || true)" != "leptosfmt $LEPTOSFMT_VERSION" ]; then
  say "installing leptosfmt $LEPTOSFMT_VERSION (about two minutes, once)"
  cargo install leptosfmt --locked --version "$LEPTOSFMT_VERSION"
fi

# wasm-opt (Debian's binaryen is too old for current Rust output) and esbuild (minifies the
# wasm-bindgen glue after splitting, scripts/split.py: 9.4 -> 7.2 KB gzip of the first view), from
# npm at the exact versions and integrity hashes of scripts/tools/package-lock.json (`npm ci`).
if ! cmp -s "$ROOT/scripts/tools/package-lock.json" "$TOOLS/package-lock.json" ||
   [ ! -x "$TOOLS/node_modules/.bin/wasm-opt" ] || [ ! -x "$TOOLS/node_modules/.bin/esbuild" ]; then
  say "installing wasm-opt (binaryen) and esbuild from npm into .tools/, as locked"
  mkdir -p "$TOOLS"
  cp "$ROOT/scripts/tools/package.json" "$ROOT/scripts/tools/package-lock.json" "$TOOLS/"
  npm ci --prefix "$TOOLS" --no-audit --no-fund --loglevel=error
fi

if $build_only; then
  say "build tools ready"
  exit 0
fi

apt_packages=()
command -v chromium >/dev/null 2>&1 || apt_packages+=(chromium)
command -v chromedriver >/dev/null 2>&1 || apt_packages+=(chromium-driver)
command -v curl >/dev/null 2>&1 || apt_packages+=(curl)
# The end-to-end suite serves the build through the nginx snippet scripts/hosting.py writes.
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || apt_packages+=(nginx-light)
if [ ${#apt_packages[@]} -gt 0 ]; then
  say "installing ${apt_packages[*]} from Debian"
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${apt_packages[@]}"
fi

# Keystone and every Python package it pulls in, at the versions of scripts/keystone-constraints.txt.
CONSTRAINTS="$ROOT/scripts/keystone-constraints.txt"
if ! "$VENV/bin/python" -c 'import keystone, gunicorn' >/dev/null 2>&1 ||
   ! cmp -s "$CONSTRAINTS" "$VENV/keyrack-constraints.txt"; then
  say "installing Keystone $KEYSTONE_VERSION and gunicorn into .venv-keystone/, as constrained (about a minute, once)"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check --constraint "$CONSTRAINTS" \
    "keystone==$KEYSTONE_VERSION" gunicorn
  cp "$CONSTRAINTS" "$VENV/keyrack-constraints.txt"
fi
# A package the constraints do not name (a new dependency of a dependency) would float: refuse it.
unpinned="$("$VENV/bin/pip" freeze --disable-pip-version-check | grep -vxF -f <(grep -v '^#' "$CONSTRAINTS") || true)"
if [ -n "$unpinned" ]; then
  say "installed but not in scripts/keystone-constraints.txt (add them there): $unpinned"; exit 1
fi

say "all tools ready"
