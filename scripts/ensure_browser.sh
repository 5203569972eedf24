#!/usr/bin/env bash
# Installs what the end-to-end tests need, from the package registries only:
# Debian's chromium (never a browser download of a test tool) and axe-core from npm.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ]; then
    echo "Installing Debian chromium for the end-to-end tests ..."
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core fonts-noto-color-emoji >/dev/null
  else
    echo "chromium is missing: run 'sudo apt-get install chromium' (Debian) for the end-to-end tests" >&2
    exit 1
  fi
fi
if [ -f package.json ] && [ ! -f node_modules/axe-core/axe.min.js ]; then
  echo "Installing axe-core from npm for the accessibility tests ..."
  npm ci --silent --no-audit --no-fund >/dev/null 2>&1 || npm install --silent --no-audit --no-fund >/dev/null
fi
