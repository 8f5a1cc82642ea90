#!/usr/bin/env bash
# `make run`: starts a cell in the foreground with embedded defaults and its
# state in ./var (or $STATE_DIR), serving the web UI built into build/ui
# (or $PIC_UI_DIR). Prints where it answers; on the first start picd itself
# prints the admin password. Ctrl-C stops it.
#
# Plain HTTP listens on loopback only; PIC_LISTEN=0.0.0.0:3000 opens it to
# the LAN. The LAN otherwise reaches the cell over HTTPS at the host's own
# address and name (the host publishes 443 to the cell's proxy), which picd
# prints when it starts, with the CA's fingerprint.
set -euo pipefail
picd=$1
state_dir=$2
repo=$(cd "$(dirname "$0")/.." && pwd)
listen=${PIC_LISTEN:-127.0.0.1:3000}
socket=${PIC_SOCKET:-/run/pic/pic.sock}
ui_dir=${PIC_UI_DIR:-$repo/build/ui}
host=${listen%:*}
port=${listen##*:}
local_host=$host
[[ "$host" == 0.0.0.0 ]] && local_host=127.0.0.1
[[ "$host" == "[::]" ]] && local_host="[::1]"
build_dir=$(dirname "$picd")

echo "PIC: starting picd (state in $state_dir)"
case "$host" in
0.0.0.0 | "[::]")
	echo "  web UI and API: http://$local_host:$port/ (plain HTTP, open to the LAN)"
	for ip in $(hostname -I 2>/dev/null); do
		if [[ "$ip" == *:* ]]; then
			[[ "$host" == 0.0.0.0 ]] && continue # an IPv4 socket
			ip="[$ip]"
		fi
		echo "                  http://$ip:$port/"
	done
	;;
*)
	echo "  web UI and API: http://$host:$port/ (this machine only)"
	echo "                  plain HTTP for the LAN: PIC_LISTEN=0.0.0.0:$port make run"
	;;
esac
echo "  HTTPS:      from other machines, https://<this host's LAN address>/ (and its name): picd prints"
echo "              them below (\"web UI over HTTPS on the LAN: ...\"), and the cell's CA to trust for"
echo "              them with its fingerprint (\"cell CA SHA-256 ...\"; $build_dir/pic ca export)"
if [[ -f "$ui_dir/index.html" ]]; then
	echo "  UI files:   $ui_dir"
else
	echo "  UI files:   none in $ui_dir yet (make build); the API answers meanwhile"
fi
echo "  health:     curl http://$local_host:$port/health"
echo "  CLI:        $build_dir/pic status   (control socket $socket)"
if [[ -e "$state_dir/pic.db" ]]; then
	echo "  admin:      the password was printed on the first start;"
	echo "              set a new one with: $build_dir/pic passwd"
fi
echo
exec "$picd" --foreground --state-dir "$state_dir" --listen "$listen" --socket "$socket" --ui-dir "$ui_dir"
