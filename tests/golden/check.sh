#!/usr/bin/env bash
# Runs each daemon's own checker on the golden files in tests/golden/.
set -euo pipefail
cd "$(dirname "$0")"
shopt -s nullglob
n=0
for f in nft/*.nft; do
	# In a throwaway network namespace: nft -c needs netlink, changes nothing.
	unshare --net nft -c -f "$f" || { for f in chrony/*.conf; do
	# chronyd -p parses the file and prints it; it changes nothing.
	chronyd -p -f "$f" >/dev/null || { echo "golden-check: chronyd rejects $f" >&2; exit 1; }
	n=$((n + 1))
done
echo "golden-check: nft rejects $f" >&2; exit 1; }
	n=$((n + 1))
done
for f in chrony/*.conf; do
	# chronyd -p parses the file and prints it; it changes nothing.
	chronyd -p -f "$f" >/dev/null || { echo "golden-check: chronyd rejects $f" >&2; exit 1; }
	n=$((n + 1))
done
echo "golden-check: $n file(s) accepted by their daemons' checkers"
