#!/bin/sh
# Installs Tolbooth's managed Chromium policy for a kiosk (Debian's chromium reads
# /etc/chromium/policies/managed/). Usage, as root: install-policy.sh https://tolbooth.example.gov.uk
# See README.md, "Kiosks at library hubs".
set -eu
origin="${1:?usage: install-policy.sh https://your-tolbooth-origin}"
case "$origin" in
  http://localhost:*|https://*) ;;
  *) echo "install-policy.sh: the origin must be https:// (or http://localhost:PORT)" >&2; exit 2 ;;
esac
here="$(cd "$(dirname "$0")" && pwd)"
target="${TOLBOOTH_POLICY_DIR:-/etc/chromium/policies/managed}"
mkdir -p "$target"
sed "s|TOLBOOTH_ORIGIN|$origin|g" "$here/tolbooth-policy.json" > "$target/tolbooth.json"
chmod 0644 "$target/tolbooth.json"
echo "installed $target/tolbooth.json for $origin"
