#!/usr/bin/env bash
# Writes .gz and .br beside each compressible file of the built UI, so
# picd can send them as they are to clients that accept them.
set -euo pipefail
dir=$1
find "$dir" -type f \( -name '*.html' -o -name '*.js' -o -name '*.css' -o -name '*.svg' \
	-o -name '*.json' -o -name '*.webmanifest' -o -name '*.txt' \) -print0 |
	while IFS= read -r -d '' f; do
		gzip -9 -n -k -f "$f"
		brotli -q 11 -k -f "$f"
	done
