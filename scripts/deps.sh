#!/usr/bin/env bash
# Installs the Debian packages listed in scripts/packages.txt that are
# missing. Idempotent: does nothing (and needs no network) when all are
# present. Needs root to install.
set -euo pipefail
cd "$(dirname "$0")"

missing=()
while read -r pkg _; do
	[[ -z "$pkg" || "$pkg" == \#* ]] && continue
	status=$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true)
	[[ "$status" == installed ]] || missing+=("$pkg")
done < packages.txt

# Node from Debian's nodejs package ships without npm (Debian's npm is a
# package of its own); a nodejs that bundles npm needs none.
command -v npm >/dev/null 2>&1 || missing+=(npm)

if ((${#missing[@]} == 0)); then
	echo "deps: all Debian packages present"
	exit 0
fi
if ((EUID != 0)); then
	echo "deps: missing packages: ${missing[*]} (run as root to install)" >&2
	exit 1
fi
echo "deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
