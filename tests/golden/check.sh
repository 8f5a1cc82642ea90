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
for f in chrony/*.conf; do
	# chronyd -p parses the file and prints it; it changes nothing.
	chronyd -p -f "$f" >/dev/null || { echo "golden-check: chronyd rejects $f" >&2; exit 1; }
	n=$((n + 1))
done
# unbound.conf includes /run/pic/records.conf, which must exist for the
# check: point the include at the golden records.conf (itself checked as a
# config of its own, being a `server:` clause). unbound-checkconf needs the
# username (unbound) to exist; it opens no sockets.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for f in unbound/*.conf; do
	sed "s|include: \"/run/pic/records.conf\"|include: \"$PWD/unbound/records.conf\"|" "$f" >"$tmp/check.conf"
	unbound-checkconf "$tmp/check.conf" >/dev/null || { echo "golden-check: unbound-checkconf rejects $f" >&2; exit 1; }
	n=$((n + 1))
done
for f in dnsmasq/*.conf; do
	# --test checks the syntax only; it needs no interface and binds nothing.
	out=$(dnsmasq --test --conf-file="$f" 2>&1) || { echo "golden-check: dnsmasq rejects $f: $out" >&2; exit 1; }
	n=$((n + 1))
done
echo "golden-check: $n file(s) accepted by their daemons' checkers"
