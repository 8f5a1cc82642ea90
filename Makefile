# PIC — Personal Internet Cell. See README.md.
#
#   make run     install missing Debian packages, build, start a cell (state in ./var)
#   make test    unit + integration tests (under ASan+UBSan when CI=true)
#   make bench   throughput / latency / memory figures into bench/results.json

SHELL := /bin/bash
CC ?= cc
PREFIX ?= /usr/local
STATE_DIR ?= $(CURDIR)/var
PYTHON := /usr/bin/python3

# CI runs everything under the sanitizers.
ifeq ($(CI),true)
SAN ?= 1
endif

ifeq ($(FUZZ),1)
# libFuzzer harnesses (tests/fuzz): clang, coverage + ASan + UBSan.
CC := clang
BUILD := build/fuzz
SANFLAGS := -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer
OPT := -O1 -g
FORTIFY :=
else ifeq ($(SAN),1)
BUILD := build/san
SANFLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
OPT := -O1 -g
else
BUILD := build
SANFLAGS :=
OPT := -O2 -g
endif

PKGS_PICD := libmicrohttpd jansson sqlite3 libsodium libxcrypt libnl-route-3.0 libnl-genl-3.0 libnftables libcrypto libssl libqrencode libpng
PKGS_CLI := libcurl jansson libsodium libqrencode
PKGS_TEST := cmocka

WARN := -std=gnu17 -Wall -Wextra -Werror -Wformat=2 -Wshadow -Wvla \
	-Wstrict-prototypes -Wmissing-prototypes -Wno-unused-parameter
# glibc's fortify wrappers are macros under clang, which banned.h cannot poison.
FORTIFY ?= -D_FORTIFY_SOURCE=2
CFLAGS_ALL := $(WARN) $(OPT) $(SANFLAGS) -D_GNU_SOURCE -fstack-protector-strong \
	-DPIC_UI_DIR='"$(PREFIX)/share/pic/ui"' \
	$(FORTIFY) -Isrc -MMD -MP $(CFLAGS)
LDFLAGS_ALL := $(SANFLAGS) -Wl,-z,relro,-z,now $(LDFLAGS)

pc_cflags = $(shell pkg-config --cflags $(1) 2>/dev/null)
pc_libs = $(shell pkg-config --libs $(1) 2>/dev/null)

OBJ := $(BUILD)/obj
COMMON_SRC := $(wildcard src/common/*.c)
CORE_SRC := src/daemon.c $(wildcard src/model/*.c src/store/*.c src/net/*.c src/svc/*.c src/apply/*.c \
	src/api/*.c src/priv/*.c src/pki/*.c src/vpn/*.c)
CLI_SRC := $(wildcard src/cli/*.c)
UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_HELPER_SRC := $(filter-out tests/unit/test_%.c,$(wildcard tests/unit/*.c))
FUZZ_SRC := $(wildcard tests/fuzz/fuzz_*.c)

obj_of = $(patsubst %.c,$(OBJ)/%.o,$(1))
COMMON_OBJ := $(call obj_of,$(COMMON_SRC))
CORE_OBJ := $(call obj_of,$(CORE_SRC))
CLI_OBJ := $(call obj_of,$(CLI_SRC))
UNIT_BIN := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(UNIT_SRC))
FUZZ_BIN := $(patsubst tests/fuzz/%.c,$(BUILD)/fuzz/%,$(FUZZ_SRC))
FUZZ_SECONDS ?= 60
FUZZ_RUNS ?= 20000

PICD := $(BUILD)/picd
PIC := $(BUILD)/pic

.PHONY: all build deps run test unit integration bench sanitize install uninstall \
	clean check-banned check-openapi fuzz fuzz-smoke fuzz-build golden-update golden-check

all: build

# Keep objects make considers intermediate (unit test objects).
.SECONDARY:

build: $(PICD) $(PIC) check-openapi ui

# `make V=1` shows the full commands.
Q := $(if $(V),,@)

$(OBJ)/%.o: %.c
	@mkdir -p $(dir $@)
	@$(if $(V),,echo "  CC      $<")
	$(Q)$(CC) $(CFLAGS_ALL) $(call pc_cflags,$(PKGS_PICD) $(PKGS_CLI) $(PKGS_TEST)) -c $< -o $@

# Files embedded with .incbin (see src/common/incbin.h).
$(OBJ)/src/store/store_migrations.o: $(wildcard src/store/migrations/*.sql)
$(OBJ)/src/api/api_openapi.o: src/api/openapi.json

$(BUILD)/libpiccommon.a: $(COMMON_OBJ)
	$(Q)$(AR) rcs $@ $^
$(BUILD)/libpicd.a: $(CORE_OBJ)
	$(Q)$(AR) rcs $@ $^

$(PICD): $(OBJ)/src/picd.o $(BUILD)/libpicd.a $(BUILD)/libpiccommon.a
	@$(if $(V),,echo "  LD      $@")
	$(Q)$(CC) $(LDFLAGS_ALL) -o $@ $^ $(call pc_libs,$(PKGS_PICD))

$(PIC): $(CLI_OBJ) $(BUILD)/libpiccommon.a
	@$(if $(V),,echo "  LD      $@")
	$(Q)$(CC) $(LDFLAGS_ALL) -o $@ $^ $(call pc_libs,$(PKGS_CLI))

$(BUILD)/tests/%: $(OBJ)/tests/unit/%.o $(call obj_of,$(UNIT_HELPER_SRC)) $(BUILD)/libpicd.a $(BUILD)/libpiccommon.a
	@mkdir -p $(dir $@)
	@$(if $(V),,echo "  LD      $@")
	$(Q)$(CC) $(LDFLAGS_ALL) -o $@ $^ $(call pc_libs,$(PKGS_PICD) $(PKGS_TEST))

$(BUILD)/fuzz/%: $(OBJ)/tests/fuzz/%.o $(BUILD)/libpicd.a $(BUILD)/libpiccommon.a
	@mkdir -p $(dir $@)
	@$(if $(V),,echo "  LD      $@")
	$(Q)$(CC) $(LDFLAGS_ALL) -fsanitize=fuzzer -o $@ $^ $(call pc_libs,$(PKGS_PICD))

fuzz-build: $(FUZZ_BIN)

# `make fuzz` runs each harness for FUZZ_SECONDS; `make fuzz-smoke` (part of
# `make test`) runs each for FUZZ_RUNS inputs. Corpora live in build/.
fuzz:
	$(MAKE) FUZZ=1 fuzz-build
	@set -e; for f in $(patsubst tests/fuzz/%.c,build/fuzz/fuzz/%,$(FUZZ_SRC)); do \
		mkdir -p $$f.corpus; echo "== $$f"; $$f -max_total_time=$(FUZZ_SECONDS) $$f.corpus; done

fuzz-smoke:
	$(MAKE) FUZZ=1 fuzz-build
	@set -e; for f in $(patsubst tests/fuzz/%.c,build/fuzz/fuzz/%,$(FUZZ_SRC)); do \
		echo "== $$f ($(FUZZ_RUNS) runs)"; $$f -runs=$(FUZZ_RUNS) -seed=1 >$$f.log 2>&1 \
			|| { cat $$f.log; exit 1; }; tail -1 $$f.log; done

# The OpenAPI document must describe exactly the route table: a route
# missing from it (or a stale entry) fails the build.
check-openapi: $(BUILD)/tests/test_openapi
	@$(BUILD)/tests/test_openapi >/dev/null || { $(BUILD)/tests/test_openapi; exit 1; }

check-banned:
	@! grep -nE '\b(sprintf|vsprintf|strcpy|strcat|strncpy|gets|atoi|system|popen)[[:space:]]*\(' \
		$$(git ls-files 'src/*.c' 'src/*.h' 'tests/*.c' 2>/dev/null || find src tests -name '*.[ch]') \
		| grep -v 'banned.h' || { echo "banned function used (see src/common/banned.h)"; exit 1; }

deps:
	@./scripts/deps.sh

run: deps build
	@./scripts/run.sh $(PICD) "$(STATE_DIR)"

unit: $(UNIT_BIN)
	@set -e; fail=0; for t in $(UNIT_BIN); do \
		echo "== $$t"; $$t || fail=1; done; exit $$fail

integration: $(PICD) $(PIC)
	PIC_BUILD=$(CURDIR)/$(BUILD) $(PYTHON) -m pytest -q tests/integration

# Golden files: rendered configs for fixed inputs (tests/golden/), compared
# by the unit tests and checked here by each daemon's own checker.
golden-update: $(UNIT_BIN)
	@for t in $(UNIT_BIN); do GOLDEN_UPDATE=1 $$t >/dev/null || exit 1; done
	@git status --short tests/golden

golden-check:
	@./tests/golden/check.sh

test: check-banned build unit ui-unit golden-check fuzz-smoke integration

sanitize:
	$(MAKE) SAN=1 build

bench: build
	PIC_BUILD=$(CURDIR)/$(BUILD) $(PYTHON) bench/bench.py

install: build
	install -d $(DESTDIR)$(PREFIX)/sbin $(DESTDIR)$(PREFIX)/bin
	install -m 0755 $(PICD) $(DESTDIR)$(PREFIX)/sbin/picd
	install -m 0755 $(PIC) $(DESTDIR)$(PREFIX)/bin/pic
	rm -rf $(DESTDIR)$(PREFIX)/share/pic/ui
	install -d $(DESTDIR)$(PREFIX)/share/pic
	cp -R $(UI_OUT) $(DESTDIR)$(PREFIX)/share/pic/ui
	install -d $(DESTDIR)/etc/systemd/system
	sed 's|@PREFIX@|$(PREFIX)|g' packaging/picd.service > $(DESTDIR)/etc/systemd/system/picd.service

# Stops the installed cell's services and removes its network first.
uninstall:
	-[ -x $(DESTDIR)$(PREFIX)/sbin/picd ] && $(DESTDIR)$(PREFIX)/sbin/picd --teardown --foreground
	rm -rf $(DESTDIR)$(PREFIX)/share/pic/ui
	rm -f $(DESTDIR)$(PREFIX)/sbin/picd $(DESTDIR)$(PREFIX)/bin/pic \
		$(DESTDIR)/etc/systemd/system/picd.service

clean:
	rm -rf build

include webui/webui.mk

-include $(shell find build -name '*.d' 2>/dev/null)
