#!/bin/sh
# Starts Chromium as a Tolbooth kiosk. Usage: launch.sh https://tolbooth.example.gov.uk
# Extra arguments after the origin go to Chromium as they are (tests add --headless=new).
#
# Not --incognito: the kiosk's own storage (its registration and the sealed outbox of
# requests waiting for a signal) must survive a restart. Instead a dedicated profile,
# whose managed policy (install-policy.sh) saves no passwords, no autofill, allows no
# downloads, and clears everything but the site's own storage when Chromium exits.
# "Finish" in the app clears the person's traces between restarts.
set -eu
origin="${1:?usage: launch.sh https://your-tolbooth-origin [chromium arguments]}"
shift
profile="${TOLBOOTH_KIOSK_PROFILE:-$HOME/.config/tolbooth-kiosk}"
mkdir -p "$profile"
exec "${CHROMIUM:-/usr/bin/chromium}" \
  --kiosk \
  --no-first-run \
  --no-default-browser-check \
  --disable-sync \
  --password-store=basic \
  --disable-translate \
  --disable-features=Translate,AutofillServerCommunication \
  --noerrdialogs \
  --disable-session-crashed-bubble \
  --user-data-dir="$profile" \
  "$@" \
  "$origin/kiosk"
