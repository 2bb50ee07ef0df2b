#!/usr/bin/env bash
# Installs everything the console needs to build, run and test on a fresh Debian 12 machine.
# Idempotent: every step checks first and skips itself when already satisfied.
# Usage: scripts/setup.sh [--build-only]   (--build-only skips Chromium and Keystone)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

TRUNK_VERSION="0.21.14"
BINARYEN_VERSION="132"
ESBUILD_VERSION="0.28.2"
WASM_SPLIT_VERSION="0.2.4"
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

# Debian's binaryen is too old for current Rust output; npm ships a current one.
if [ "$("$TOOLS/node_modules/.bin/wasm-opt" --version 2>/dev/null | awk '{print $3}')" != "$BINARYEN_VERSION" ]; then
  say "installing wasm-opt (binaryen $BINARYEN_VERSION from npm) into .tools/"
  mkdir -p "$TOOLS"
  npm install --prefix "$TOOLS" --no-audit --no-fund --loglevel=error "binaryen@$BINARYEN_VERSION"
fi

# Minifies the wasm-bindgen glue after splitting (scripts/split.py): 9.4 -> 7.2 KB gzip of the first view.
if [ "$("$TOOLS/node_modules/.bin/esbuild" --version 2>/dev/null || true)" != "$ESBUILD_VERSION" ]; then
  say "installing esbuild $ESBUILD_VERSION from npm into .tools/"
  mkdir -p "$TOOLS"
  npm install --prefix "$TOOLS" --no-audit --no-fund --loglevel=error "esbuild@$ESBUILD_VERSION"
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

if ! "$VENV/bin/python" -c 'import keystone, gunicorn' >/dev/null 2>&1 ||
   [ "$("$VENV/bin/pip" show keystone 2>/dev/null | awk '/^Version:/ {print $2}')" != "$KEYSTONE_VERSION" ]; then
  say "installing Keystone $KEYSTONE_VERSION and gunicorn into .venv-keystone/ (about a minute, once)"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check "keystone==$KEYSTONE_VERSION" "gunicorn>=23"
fi

say "all tools ready"
