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
# unbound.conf includes /run/pic/records.d/*.conf, whose directory must
# exist for the check: point the include at a directory holding the golden
# records.conf (one part file; itself checked as a config of its own, being
# a `server:` clause), and the auth-zone's file at the golden cell.zone
# (which unbound-checkconf loads). unbound-checkconf needs the username (unbound) to
# exist; it opens no sockets.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/records.d"
cp unbound/records.conf "$tmp/records.d/r0.conf"
for f in unbound/*.conf; do
	sed -e "s|include: \"/run/pic/records.d/\*.conf\"|include: \"$tmp/records.d/*.conf\"|" \
		-e "s|zonefile: \"/run/pic/cell.zone\"|zonefile: \"$PWD/unbound/cell.zone\"|" "$f" >"$tmp/check.conf"
	unbound-checkconf "$tmp/check.conf" >/dev/null || { echo "golden-check: unbound-checkconf rejects $f" >&2; exit 1; }
	n=$((n + 1))
done
for f in dnsmasq/*.conf; do
	# --test checks the syntax only; it needs no interface and binds nothing.
	out=$(dnsmasq --test --conf-file="$f" 2>&1) || { echo "golden-check: dnsmasq rejects $f: $out" >&2; exit 1; }
	n=$((n + 1))
done
# caddy validate provisions every module and so reads the certificate
# files caddy.json names (/run/pic/tls/cell.{crt,key}): point them at a
# throwaway self-signed pair. It opens no listener. HOME keeps what caddy's
# libraries write ($HOME/.step) inside the temporary directory.
caddy_files=(caddy/*.json)
if ((${#caddy_files[@]})); then
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj /CN=mycell.cell \
		-keyout "$tmp/cell.key" -out "$tmp/cell.crt" 2>/dev/null
	for f in "${caddy_files[@]}"; do
		grep -q '"/run/pic/tls/cell.crt"' "$f" || { echo "golden-check: $f names no /run/pic/tls/cell.crt" >&2; exit 1; }
		sed -e "s|\"/run/pic/tls/cell.crt\"|\"$tmp/cell.crt\"|" -e "s|\"/run/pic/tls/cell.key\"|\"$tmp/cell.key\"|" \
			"$f" >"$tmp/caddy.json"
		out=$(env -i PATH=/usr/bin:/bin HOME="$tmp" caddy validate --config "$tmp/caddy.json" 2>&1) ||
			{ echo "golden-check: caddy validate rejects $f: $out" >&2; exit 1; }
		n=$((n + 1))
	done
fi
echo "golden-check: $n file(s) accepted by their daemons' checkers"
