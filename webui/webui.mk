# The web UI (webui/): React + TypeScript, built by Vite into build/ui,
# which picd serves at / (--ui-dir; installed to $(PREFIX)/share/pic/ui).
# Included by the top Makefile.
#
#   npm ci          only when package-lock.json changed (stamp: node_modules/.package-lock.json)
#   gen-api         the typed client's types, from src/api/openapi.json
#   tsc --noEmit    strict type check: a call to a route the OpenAPI document
#                   lacks, or with a body it does not take, fails the build
#   vite build      only when a source changed; then .gz/.br siblings

UI_OUT := build/ui
UI_STAMP := webui/node_modules/.package-lock.json
UI_SCHEMA := webui/src/api/schema.d.ts
UI_SRC := $(shell find webui/src webui/public -type f ! -name schema.d.ts 2>/dev/null) \
	webui/index.html webui/vite.config.ts webui/tsconfig.json webui/package.json
NPM ?= npm

$(UI_STAMP): webui/package-lock.json
	@./scripts/node-check.sh
	@echo "  NPM     ci (webui)"
	$(Q)cd webui && $(NPM) ci --no-audit --no-fund --loglevel=error
	@touch $@

$(UI_SCHEMA): src/api/openapi.json $(UI_STAMP)
	@echo "  GEN     $@"
	$(Q)cd webui && $(NPM) run -s gen-api >/dev/null

$(UI_OUT)/index.html: $(UI_SRC) $(UI_SCHEMA) $(UI_STAMP)
	@echo "  TSC     webui"
	$(Q)cd webui && npx tsc --noEmit -p tsconfig.json
	@echo "  VITE    $(UI_OUT)"
	$(Q)cd webui && npx vite build --logLevel warn
	$(Q)./scripts/precompress.sh $(UI_OUT)

ui: $(UI_OUT)/index.html

ui-unit: $(UI_STAMP) $(UI_SCHEMA)
	cd webui && npx vitest run

.PHONY: ui ui-unit
