#!/usr/bin/env bash
# `make run`: starts a cell in the foreground with embedded defaults and its
# state in ./var (or $STATE_DIR). Prints where it answers; on the first
# start picd itself prints the admin password. Ctrl-C stops it.
set -euo pipefail
picd=$1
state_dir=$2
listen=${PIC_LISTEN:-0.0.0.0:3000}
socket=${PIC_SOCKET:-/run/pic/pic.sock}
port=${listen##*:}
build_dir=$(dirname "$picd")

echo "PIC: starting picd (state in $state_dir)"
echo "  API and UI: http://127.0.0.1:$port/"
for ip in $(hostname -I 2>/dev/null); do
	[[ "$ip" == *:* ]] && ip="[$ip]"
	echo "              http://$ip:$port/"
done
echo "  health:     curl http://127.0.0.1:$port/health"
echo "  CLI:        $build_dir/pic status   (control socket $socket)"
if [[ -e "$state_dir/pic.db" ]]; then
	echo "  admin:      the password was printed on the first start;"
	echo "              set a new one with: $build_dir/pic passwd"
fi
echo
exec "$picd" --foreground --state-dir "$state_dir" --listen "$listen" --socket "$socket"
