#!/usr/bin/env bash
# The web UI's tools (Vite 7) need Node 20.19 or newer and npm.
set -euo pipefail
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
	echo "node and npm are needed to build the web UI: run 'make deps'" >&2
	exit 1
fi
v=$(node -p 'process.versions.node')
IFS=. read -r major minor _ <<<"$v"
if ((major < 20 || (major == 20 && minor < 19))); then
	echo "Node $v is too old for the web UI's build (needs 20.19 or newer)" >&2
	exit 1
fi
