#!/usr/bin/env bash
# Runs each daemon's own checker on the golden files in tests/golden/.
set -euo pipefail
cd "$(dirname "$0")"
shopt -s nullglob
n=0
for f in nft/*.nft; do
	# In a throwaway network namespace: nft -c needs netlink, changes nothing.
	unshare --net nft -c -f "$f" || { echo "golden-check: nft rejects $f" >&2; exit 1; }
	n=$((n + 1))
done
echo "golden-check: $n file(s) accepted by their daemons' checkers"
