#!/usr/bin/env bash
# Installs nginx for 'make serve' when it is missing, from the package registry only (Debian nginx-light).
set -euo pipefail
if command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ]; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian nginx-light for 'make serve' ..."
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light >/dev/null
  # serve.py runs its own nginx with its own configuration; the Debian service is not needed
  if command -v service >/dev/null 2>&1; then service nginx stop >/dev/null 2>&1 || true; fi
else
  echo "nginx is missing: run 'sudo apt-get install nginx-light' (Debian) for 'make serve'" >&2
  exit 1
fi
