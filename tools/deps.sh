#!/usr/bin/env bash
# deps.sh PKG... — make sure the Debian packages deepq builds against are installed.
# As root, installs the missing ones with apt-get; otherwise prints the command and fails.
set -euo pipefail
missing=()
for p in "$@"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ]; then
  echo "deps: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >/dev/null || true
  apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "deps: missing Debian packages. Run: sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
