#!/usr/bin/env bash
# Runs each daemon's own checker on the golden files in tests/golden/, the
# way picd runs it (src/priv/priv_spawn.c, src/apply/apply.c): in a private
# mount namespace with a tmpfs on /run, a fresh service directory
# bind-mounted at /run/pic holding the file as <config>.new beside what it
# names (records.conf, tls/cell.{crt,key}), and the checker's argv of
# src/svc/svc_<daemon>.c. The rendered configs' paths are checked as they
# are, with no rewriting; nothing is created on the machine's /run, and
# nothing left there (a cell's /run/pic) is seen. Needs root.
set -euo pipefail
cd "$(dirname "$0")"
if [[ ${1-} != --in-namespace ]]; then
	exec unshare --mount --propagation private -- "$BASH" "$PWD/check.sh" --in-namespace
fi
mount -t tmpfs -o mode=0755,nosuid,nodev,size=16m tmpfs /run
mkdir /run/pic /run/golden-check
shopt -s nullglob
n=0

# A new, empty service directory at /run/pic, made as picd makes one
# (svc.c): mode $1, owned by user $2 when given, subdirectory $3 when given.
service_dir() {
	local mode=$1 owner=${2-} subdir=${3-} d
	if mountpoint -q /run/pic; then
		umount /run/pic
	fi
	d=$(mktemp -d /run/golden-check/service.XXXXXX)
	chmod "$mode" "$d"
	[[ -z "$owner" ]] || chown "$owner" "$d"
	[[ -z "$subdir" ]] || mkdir -m 0755 "$d/$subdir"
	mount --bind "$d" /run/pic
}

reject() {
	echo "golden-check: $1 rejects $2${3:+: $3}" >&2
	exit 1
}

for f in nft/*.nft; do
	# In a throwaway network namespace: nft -c needs netlink, changes nothing.
	unshare --net nft -c -f "$f" || reject nft "$f"
	n=$((n + 1))
done

for f in chrony/*.conf; do
	# chronyd -p parses the file and prints it; it changes nothing.
	service_dir 0700 _chrony
	cp "$f" /run/pic/chrony.conf.new
	chronyd -p -f /run/pic/chrony.conf.new >/dev/null || reject chronyd "$f"
	n=$((n + 1))
done
# unbound.conf includes /run/pic/records.d/*.conf and loads its auth-zone
# from /run/pic/cell.zone: the golden records.conf is laid out there as one
# part file, and the golden cell.zone beside it; both are checked through
# every unbound.conf that names them. unbound-checkconf needs the user
# (unbound) to exist; it opens no sockets.
unbound_confs=()
for f in unbound/*.conf; do
	[[ "$f" == unbound/records.conf ]] || unbound_confs+=("$f")
done
if ((${#unbound_confs[@]})); then
	for g in unbound/records.conf unbound/cell.zone; do
		[[ -f "$g" ]] || { echo "golden-check: no $g for unbound.conf to read" >&2; exit 1; }
	done
	for f in "${unbound_confs[@]}"; do
		service_dir 0755
		mkdir /run/pic/records.d
		cp unbound/records.conf /run/pic/records.d/r0.conf
		cp unbound/cell.zone /run/pic/cell.zone
		cp "$f" /run/pic/unbound.conf.new
		out=$(unbound-checkconf /run/pic/unbound.conf.new 2>&1) || reject unbound-checkconf "$f" "$out"
		n=$((n + 1))
	done
	n=$((n + 2)) # records.conf, cell.zone
fi

for f in dnsmasq/*.conf; do
	# --test checks the syntax only; it needs no interface and binds nothing.
	service_dir 0711 "" hosts.d
	cp "$f" /run/pic/dnsmasq.conf.new
	out=$(dnsmasq --test --conf-file=/run/pic/dnsmasq.conf.new 2>&1) || reject dnsmasq "$f" "$out"
	n=$((n + 1))
done

# caddy validate provisions every module and so reads the certificate
# files caddy.json names (/run/pic/tls/cell.{crt,key}): a throwaway
# self-signed pair is laid out there. It opens no listener. The
# environment is caddy's under picd (svc_caddy.h), so what its libraries
# write stays in the service directory.
caddy_files=(caddy/*.json)
if ((${#caddy_files[@]})); then
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj /CN=mycell.cell \
		-keyout /run/golden-check/cell.key -out /run/golden-check/cell.crt 2>/dev/null
	for f in "${caddy_files[@]}"; do
		service_dir 0700 "" tls
		cp /run/golden-check/cell.crt /run/golden-check/cell.key /run/pic/tls/
		cp "$f" /run/pic/caddy.json.new
		out=$(env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 HOME=/run/pic \
			XDG_DATA_HOME=/run/pic/data XDG_CONFIG_HOME=/run/pic/config \
			caddy validate --config /run/pic/caddy.json.new 2>&1) || reject "caddy validate" "$f" "$out"
		n=$((n + 1))
	done
fi
# The mail daemons (svc_postfix.c, svc_dovecot.c). `postfix check` reads a
# directory: main.cf goes into check/ beside master.cf, as picd checks a
# candidate; it makes the queue's directories under /run/pic/queue.
# doveconf reads the certificate files dovecot.conf names; a throwaway
# pair is laid out there.
for f in mail/main.cf mail/relay/main.cf; do
	service_dir 0711 "" queue
	mkdir -m 0700 /run/pic/check
	cp "$f" /run/pic/check/main.cf
	cp mail/master.cf /run/pic/check/
	out=$(postfix -c /run/pic/check check 2>&1) || reject "postfix check" "$f" "$out"
	[[ -z "$out" ]] || reject "postfix check" "$f" "$out"
	n=$((n + 1))
done
n=$((n + 1)) # master.cf
if [[ -f mail/dovecot.conf ]]; then
	service_dir 0711 "" mail
	mkdir /run/pic/tls
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj /CN=imap.mycell.cell \
		-keyout /run/pic/tls/cell.key -out /run/pic/tls/cell.crt 2>/dev/null
	cp mail/dovecot.conf /run/pic/dovecot.conf.new
	out=$(doveconf -n -c /run/pic/dovecot.conf.new 2>&1 >/dev/null) || reject doveconf mail/dovecot.conf "$out"
	n=$((n + 1))
fi
# opendkim -n reads the key file the config names, which must be
# opendkim's and private: a throwaway key is laid out in keys/.
if [[ -f mail/opendkim.conf ]]; then
	service_dir 0711 opendkim keys
	sel=$(sed -n 's/^Selector //p' mail/opendkim.conf)
	openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "/run/pic/keys/$sel.private" 2>/dev/null
	chown -R opendkim:opendkim /run/pic/keys
	chmod 0600 "/run/pic/keys/$sel.private"
	cp mail/opendkim.conf /run/pic/opendkim.conf.new
	out=$(opendkim -n -x /run/pic/opendkim.conf.new 2>&1) || reject "opendkim -n" mail/opendkim.conf "$out"
	n=$((n + 1))
fi
echo "golden-check: $n file(s) accepted by their daemons' checkers"
