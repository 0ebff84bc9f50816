#!/usr/bin/env bash
# Installs, from Debian's packages, the programs the tests start or use. Idempotent; needs root (or sudo) on a machine
# that lacks them. Nothing is downloaded at test time except through the package manager.
set -euo pipefail
packages=()
need() { command -v "$1" >/dev/null 2>&1 || packages+=("$2"); }
need zbarimg zbar-tools   # an independent QR decoder for the ticket round-trip test
# The pgRouting comparison of the Geo router (tests and bench): a throwaway PostgreSQL with PostGIS and pgRouting,
# osmium to turn the Monaco PBF into .osm XML, osm2pgrouting to load it.
need /usr/lib/postgresql/15/bin/initdb postgresql-15
[ -f /usr/share/postgresql/15/extension/pgrouting.control ] || packages+=(postgresql-15-pgrouting)
[ -f /usr/share/postgresql/15/extension/postgis.control ] || packages+=(postgresql-15-postgis-3)
need osmium osmium-tool
need osm2pgrouting osm2pgrouting
need redis-server redis-server   # the cluster tests' membership table (Orleans Redis clustering)
# The browser tests of the web pages: Debian's Chromium, driven by Playwright (no browser download).
need chromium chromium
[ -n "$(fc-list :lang=zh 2>/dev/null)" ] || packages+=(fonts-noto-cjk)   # Chinese text in the screenshots
if [ ${#packages[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${packages[@]}"
fi
