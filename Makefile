# hailong -- the only build file.  GNU make.
#
#   make            build build/bin/hailong and build/bin/hailong-kiosk
#   make run        install what is missing, build, make var/demo.db, serve it
#   make test       install, build with -Werror, run every test layer
#   make asan       the whole test suite under AddressSanitizer + UBSan
#   make fuzz       build the libFuzzer harnesses (clang)
#   make reliability  the long fault, hostile-client and soak runs
#   make sqlmap     sqlmap against the form, the APIs, the login and the console
#   make bench      the benchmarks of tests/bench/README.md (never in make test)
#   make lint       clang-tidy and cppcheck
#   make layers     which layer includes which (tools/layers.sh; in make test)
#   make format-check / make format
#   make install / make uninstall   (PREFIX, DESTDIR)
#
# Flavours build in their own directories: build/ (release, hardened),
# build/asan/, build/fuzz/.

PREFIX ?= /usr/local
DESTDIR ?=
BUILD ?= build
PKG_CONFIG ?= pkg-config
PYTHON ?= python3

PKGS := libmicrohttpd sqlite3 libqrencode libcrypto jansson libcurl \
	xlsxwriter libpng pangocairo libzip

# Each object is compiled with the flags of the packages it includes and
# each program linked with the libraries it uses (README "One door per
# library").  lib/: jansson and its file's door; server/: jansson,
# OpenSSL (core/cms.c, web/page_reports.c) and xlsxwriter
# (core/report_files.c); kiosk/: jansson.  The kiosk draws its QR code as
# SVG, so it links libqrencode but no libpng (lib/qr_png.c) or xlsxwriter.
# core/report_pdf.c alone draws with cairo and pango (pangocairo), and
# core/report_bundle.c alone writes zips (libzip): their objects only get
# those flags.
PKGS_lib/http := libmicrohttpd
PKGS_lib/db := sqlite3
PKGS_lib/crypto := libcrypto
PKGS_lib/httpc := libcurl
PKGS_lib/qr := libqrencode
PKGS_lib/qr_png := libpng
SERVER_CPKGS := jansson libcrypto xlsxwriter
KIOSK_CPKGS := jansson
LIB_PKGS := libmicrohttpd sqlite3 libcrypto libcurl libqrencode libpng jansson
SERVER_PKGS := $(LIB_PKGS) xlsxwriter pangocairo libzip
KIOSK_PKGS := $(filter-out libpng,$(LIB_PKGS))

WARN := -std=c11 -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes \
	-Wmissing-prototypes -Wold-style-definition -Wpointer-arith \
	-Wcast-qual -Wwrite-strings -Wformat=2 -Wundef -Wvla \
	-Wimplicit-fallthrough
ifeq ($(WERROR),1)
WARN += -Werror
endif

# SAN=1: AddressSanitizer + UBSan, no hardening flags (they fight ASan).
ifeq ($(SAN),1)
OPT := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined \
	-fno-sanitize-recover=undefined
LDOPT := -fsanitize=address,undefined
else
OPT := -O2 -g -D_FORTIFY_SOURCE=2 -fstack-protector-strong -fPIE
LDOPT := -pie -Wl,-z,relro,-z,now
endif

# V=1 shows whole command lines.
ifeq ($(V),1)
Q :=
say = @true
else
Q := @
say = @printf '  %-6s %s\n'
endif

pkg_cflags = $(if $(1),$(shell $(PKG_CONFIG) --cflags $(1) 2>/dev/null))
pkg_libs = $(shell $(PKG_CONFIG) --libs $(1) 2>/dev/null)
# Every package: the unit tests, the fuzzers and lint see the whole tree.
PKG_CFLAGS = $(call pkg_cflags,$(PKGS))
PKG_LIBS = $(call pkg_libs,$(PKGS))

CPPFLAGS += -D_POSIX_C_SOURCE=200809L -Iinclude -Iserver -MMD -MP
CFLAGS ?=
CFLAGS += $(WARN) $(OPT)
LDFLAGS += $(LDOPT)
LDLIBS += -lpthread -lm

LIB_SRC := $(wildcard lib/*.c)
# server/core: the domain and its storage; server/web: HTTP, pages, APIs;
# server/cli: main() and the commands.  `make layers` keeps them apart.
SERVER_LAYERS := core web cli
SERVER_SRC := $(filter-out server/cli/main.c,\
	$(foreach l,$(SERVER_LAYERS),$(wildcard server/$(l)/*.c)))
SERVER_EMBED := $(sort $(wildcard schemas/*.sql)) \
	schemas/instrument.default.json schemas/instrument.schema.json \
	schemas/report.schema.json \
	data/units.csv data/procedures.csv \
	$(sort $(wildcard server/web/static/*))

KIOSK_SRC := $(filter-out kiosk/main.c,$(wildcard kiosk/*.c))
KIOSK_EMBED := $(sort $(wildcard kiosk/ui/*))

LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/obj/%.o)
SERVER_OBJ := $(SERVER_SRC:%.c=$(BUILD)/obj/%.o) \
	$(BUILD)/obj/gen/server_files.o

KIOSK_OBJ := $(KIOSK_SRC:%.c=$(BUILD)/obj/%.o) \
	$(BUILD)/obj/gen/kiosk_files.o $(BUILD)/obj/gen/kiosk_audio.o

UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)

.PHONY: all deps deps-build run test test-run unit api e2e asan fuzz \
	fuzz-run lint format format-check install uninstall clean bench layers

all: $(BUILD)/bin/hailong $(BUILD)/bin/hailong-kiosk

# OBJ_PKGS: the packages whose headers the object includes (above).
$(BUILD)/obj/lib/%.o: OBJ_PKGS = jansson $(PKGS_$*)
$(BUILD)/obj/server/%.o: OBJ_PKGS = $(SERVER_CPKGS)
$(BUILD)/obj/server/core/report_pdf.o: OBJ_PKGS = $(SERVER_CPKGS) pangocairo
$(BUILD)/obj/server/core/report_bundle.o: OBJ_PKGS = $(SERVER_CPKGS) libzip
$(BUILD)/obj/kiosk/%.o: OBJ_PKGS = $(KIOSK_CPKGS)

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(say) CC $<
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) $(call pkg_cflags,$(OBJ_PKGS)) \
		-c -o $@ $<

# The embedder is a build tool: plain flags, never sanitized.
$(BUILD)/tools/embed: tools/embed.c
	@mkdir -p $(dir $@)
	$(CC) -O1 -o $@ $<

# Makefile too: the list of files (and their names) is written here
# The lists of embedded files, rewritten only when they change: a file
# removed or renamed (a migration renumbered) must rebuild the embedding
# even though every file left is older than it.
$(BUILD)/gen/%.list: FORCE
	@mkdir -p $(dir $@)
	@echo '$(if $(filter server_files,$*),$(SERVER_EMBED),$(KIOSK_EMBED))' \
	    | cmp -s - $@ || echo '$(if $(filter server_files,$*),$(SERVER_EMBED),$(KIOSK_EMBED))' >$@

.PHONY: FORCE
FORCE:

$(BUILD)/gen/server_files.c: $(BUILD)/tools/embed $(SERVER_EMBED) Makefile \
    $(BUILD)/gen/server_files.list
	@mkdir -p $(dir $@)
	$(say) EMBED $@
	$(Q)$(BUILD)/tools/embed $@ server_files $(SERVER_EMBED)

$(BUILD)/obj/gen/server_files.o: $(BUILD)/gen/server_files.c
	@mkdir -p $(dir $@)
	$(say) CC $<
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

$(BUILD)/gen/kiosk_files.c: $(BUILD)/tools/embed $(KIOSK_EMBED) Makefile \
    $(BUILD)/gen/kiosk_files.list
	@mkdir -p $(dir $@)
	$(say) EMBED $@
	$(Q)$(BUILD)/tools/embed $@ kiosk_files $(KIOSK_EMBED)

$(BUILD)/obj/gen/kiosk_files.o: $(BUILD)/gen/kiosk_files.c
	@mkdir -p $(dir $@)
	$(say) CC $<
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

# The kiosk's spoken prompts (README "Kiosks"): each screen's words of
# kiosk/ui/speech.txt read by espeak-ng at build time, made 16 kHz mono
# by kiosk/tools/wavdown.c, embedded as audio/SCREEN-LANG.wav (no
# network at the counter).
$(BUILD)/tools/wavdown: kiosk/tools/wavdown.c
	@mkdir -p $(dir $@)
	$(CC) -O1 -o $@ $< -lm

$(BUILD)/gen/kiosk/audio.stamp: kiosk/ui/speech.txt kiosk/speech.sh \
    $(BUILD)/tools/wavdown
	@mkdir -p $(dir $@)
	$(say) SPEECH $(BUILD)/gen/kiosk/audio
	$(Q)sh kiosk/speech.sh kiosk/ui/speech.txt $(BUILD)/tools/wavdown \
	    $(BUILD)/gen/kiosk/audio
	@touch $@

$(BUILD)/gen/kiosk_audio.c: $(BUILD)/tools/embed $(BUILD)/gen/kiosk/audio.stamp
	$(say) EMBED $@
	$(Q)cd $(BUILD)/gen/kiosk && $(abspath $(BUILD))/tools/embed \
	    $(abspath $@) kiosk_audio $$(ls audio/*.wav)

$(BUILD)/obj/gen/kiosk_audio.o: $(BUILD)/gen/kiosk_audio.c
	@mkdir -p $(dir $@)
	$(say) CC $<
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

$(BUILD)/libhailong.a: $(LIB_OBJ)
	$(say) AR $@
	$(Q)$(AR) rcs $@ $^

$(BUILD)/libhailong-server.a: $(SERVER_OBJ)
	$(say) AR $@
	$(Q)$(AR) rcs $@ $^

$(BUILD)/libhailong-kiosk.a: $(KIOSK_OBJ)
	$(say) AR $@
	$(Q)$(AR) rcs $@ $^

$(BUILD)/bin/hailong-kiosk: $(BUILD)/obj/kiosk/main.o \
		$(BUILD)/libhailong-kiosk.a $(BUILD)/libhailong.a
	@mkdir -p $(dir $@)
	$(say) LINK $@
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(call pkg_libs,$(KIOSK_PKGS)) $(LDLIBS)

$(BUILD)/bin/hailong: $(BUILD)/obj/server/cli/main.o $(BUILD)/libhailong-server.a \
		$(BUILD)/libhailong.a
	@mkdir -p $(dir $@)
	$(say) LINK $@
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(call pkg_libs,$(SERVER_PKGS)) $(LDLIBS)

# Unit tests link the server's and the kiosk's modules (-Ikiosk: their
# headers) and the library.
$(BUILD)/tests/%: tests/unit/%.c tests/unit/test.h $(BUILD)/libhailong-server.a \
		$(BUILD)/libhailong-kiosk.a $(BUILD)/libhailong.a
	@mkdir -p $(dir $@)
	$(say) TEST $@
	$(Q)$(CC) $(CPPFLAGS) -Itests/unit -Ikiosk $(CFLAGS) $(PKG_CFLAGS) \
		$(LDFLAGS) -o $@ $< $(BUILD)/libhailong-server.a \
		$(BUILD)/libhailong-kiosk.a $(BUILD)/libhailong.a $(PKG_LIBS) \
		$(LDLIBS)

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)

# --- installing what is missing -------------------------------------------

deps:
	@tools/deps.sh test

deps-build:
	@tools/deps.sh build

# --- the demo ---------------------------------------------------------------

DEMO_DB := var/demo.db
DEMO_LISTEN ?= 127.0.0.1:8080
DEMO_BASE_URL ?= http://$(DEMO_LISTEN)

# Each demo counter handles what its name says (the procedure command, as
# a centre would set it up): its citizens' form offers these first.
# Hộ tịch, chứng thực: birth, death, marriage, marital status, extracts,
# copies, signatures; đất đai, xây dựng; chính sách xã hội.
DEMO_COUNTER1 := 1.001193 1.000656 1.000894 1.004873 2.000635 2.000815 \
	2.000884 2.000908
DEMO_COUNTER2 := 1.012796 1.012812 1.013967 1.013225 1.013229 1.013227
DEMO_COUNTER3 := 1.001776 1.001731 1.001699 1.014027 1.010833 1.010803

run: deps-build
	@$(MAKE) --no-print-directory all
	@mkdir -p var
	@if [ ! -f $(DEMO_DB) ]; then \
				$(BUILD)/bin/hailong init --db $(DEMO_DB) --demo \
			> var/demo-login.txt || exit 1; \
		$(BUILD)/bin/hailong procedure assign --db $(DEMO_DB) \
			--unit H21.227 --counter 1 $(DEMO_COUNTER1) >/dev/null && \
		$(BUILD)/bin/hailong procedure assign --db $(DEMO_DB) \
			--unit H21.227 --counter 2 $(DEMO_COUNTER2) >/dev/null && \
		$(BUILD)/bin/hailong procedure assign --db $(DEMO_DB) \
			--unit H21.227 --counter 3 $(DEMO_COUNTER3) >/dev/null \
			|| exit 1; \
	fi
	@cat var/demo-login.txt
	@printf 'demo QR form: '
		@$(BUILD)/bin/hailong qr --db $(DEMO_DB) --unit H21.227 --counter 1 \
		--base-url $(DEMO_BASE_URL) --format url
	@$(BUILD)/bin/hailong qr --db $(DEMO_DB) --unit H21.227 --counter 1 \
		--base-url $(DEMO_BASE_URL) --format txt
	exec $(BUILD)/bin/hailong serve --db $(DEMO_DB) --listen $(DEMO_LISTEN) \
		--base-url $(DEMO_BASE_URL)

# --- tests --------------------------------------------------------------------

# The whole suite: install, build warning-free, run every layer, summary.
test: deps layers
	@$(MAKE) --no-print-directory WERROR=1 all $(UNIT_BIN) fuzz
	@tests/run.sh $(BUILD)

# Layers one at a time (no install step).
unit: all $(UNIT_BIN)
	@tests/run.sh $(BUILD) unit
api: all
	@tests/run.sh $(BUILD) api
e2e: all
	@tests/run.sh $(BUILD) e2e

asan: deps
	@$(MAKE) --no-print-directory BUILD=build/asan SAN=1 WERROR=1 \
		build/asan/bin/hailong build/asan/bin/hailong-kiosk \
		$(UNIT_SRC:tests/unit/%.c=build/asan/tests/%)
	@# SAN=1 in the environment: a make the tests run (make install)
	@# builds the same way
	@SAN=1 ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
		UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		tests/run.sh build/asan unit api e2e reliability

# --- benchmarks (never part of make test) ----------------------------------

BENCH_BIN := $(BUILD)/bench/gen $(BUILD)/bench/nullserver $(BUILD)/bench/storage

$(BUILD)/bench/gen: tests/bench/gen.c $(BUILD)/libhailong-server.a \
		$(BUILD)/libhailong.a
	@mkdir -p $(dir $@)
	$(say) BENCH $@
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) $(call pkg_cflags,$(SERVER_CPKGS)) \
		$(LDFLAGS) -o $@ $< $(BUILD)/libhailong-server.a \
		$(BUILD)/libhailong.a $(call pkg_libs,$(SERVER_PKGS)) $(LDLIBS)

# the writer's path from a loop, no HTTP: the storage ceiling
$(BUILD)/bench/storage: tests/bench/storage.c $(BUILD)/libhailong-server.a \
		$(BUILD)/libhailong.a
	@mkdir -p $(dir $@)
	$(say) BENCH $@
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) $(call pkg_cflags,$(SERVER_CPKGS)) \
		$(LDFLAGS) -o $@ $< $(BUILD)/libhailong-server.a \
		$(BUILD)/libhailong.a $(call pkg_libs,$(SERVER_PKGS)) $(LDLIBS)

$(BUILD)/bench/nullserver: tests/bench/nullserver.c $(BUILD)/libhailong.a
	@mkdir -p $(dir $@)
	$(say) BENCH $@
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) $(call pkg_cflags,jansson) \
		$(LDFLAGS) -o $@ $< $(BUILD)/libhailong.a \
		$(call pkg_libs,$(LIB_PKGS)) $(LDLIBS)

# Every measurement of tests/bench/README.md, one at a time; results in
# build/bench/results.json.  BENCH_QUICK=1 uses a small province.
bench:
	@tools/deps.sh bench
	@$(MAKE) --no-print-directory all $(BENCH_BIN)
	@$(PYTHON) -m tests.bench.bench $(BUILD)

# --- fuzzing ----------------------------------------------------------------------

FUZZ_SRC := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_BIN := $(FUZZ_SRC:tests/fuzz/%.c=build/fuzz/%)
FUZZ_CC ?= clang
FUZZ_SAN := -fsanitize=address,undefined
FUZZ_FLAGS := -g -O1 -D_POSIX_C_SOURCE=200809L -Iinclude -Iserver

fuzz: $(FUZZ_BIN)

# The sources are compiled once for every harness (instrumented for
# coverage, not linked with libFuzzer's main), then each harness links
# its own main against the archive.
FUZZ_OBJ := $(LIB_SRC:%.c=build/fuzz/obj/%.o) \
	$(SERVER_SRC:%.c=build/fuzz/obj/%.o) build/fuzz/obj/gen/server_files.o

build/fuzz/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(say) FUZZCC $<
	$(Q)$(FUZZ_CC) $(FUZZ_FLAGS) -fsanitize=fuzzer-no-link $(FUZZ_SAN) \
		-MMD -MP $(PKG_CFLAGS) -c -o $@ $<

build/fuzz/obj/gen/server_files.o: build/gen-fuzz/server_files.c
	@mkdir -p $(dir $@)
	$(Q)$(FUZZ_CC) $(FUZZ_FLAGS) -c -o $@ $<

build/fuzz/libfuzzed.a: $(FUZZ_OBJ)
	$(say) AR $@
	$(Q)rm -f $@ && ar rcs $@ $^

build/fuzz/%: tests/fuzz/%.c build/fuzz/libfuzzed.a
	@mkdir -p $(dir $@)
	$(say) FUZZ $@
	$(Q)$(FUZZ_CC) $(FUZZ_FLAGS) -fsanitize=fuzzer $(FUZZ_SAN) \
		$(PKG_CFLAGS) -o $@ $< build/fuzz/libfuzzed.a $(PKG_LIBS) \
		-lpthread -lm

-include $(FUZZ_OBJ:.o=.d)

build/gen-fuzz/server_files.c: $(BUILD)/tools/embed $(SERVER_EMBED) Makefile \
    $(BUILD)/gen/server_files.list
	@mkdir -p $(dir $@)
	$(BUILD)/tools/embed $@ server_files $(SERVER_EMBED)

# Each harness for a few seconds from its committed corpus.
fuzz-run: fuzz
	@tests/run.sh $(BUILD) fuzz

# --- reliability (tests/reliability/README.md) ------------------------------

# The long versions (20 kill -9, a 10-minute soak ...); make test runs
# the short ones.
reliability: all
	@HL_REL_FULL=1 tests/run.sh $(BUILD) reliability

# The long fuzz runs of tests/reliability/README.md, one after the other.
FUZZ_LONG ?= 600
FUZZ_LONG_ONLY ?= wire form jsonbody
fuzz-long: fuzz
	@FUZZ_SECONDS=$(FUZZ_LONG) FUZZ_ONLY="$(FUZZ_LONG_ONLY)" \
		tests/run.sh $(BUILD) fuzz

sqlmap: all
	@tools/deps.sh test
	@tests/reliability/sqlmap.sh $(BUILD)

.PHONY: reliability sqlmap fuzz-long

# --- layers ---------------------------------------------------------------------

# Which layer may include which (README "Source layout"): lib/ and
# include/ nothing of server/ or kiosk/; server/core/ lib and core only;
# server/web/ anything but cli; kiosk/ lib and its own.  Every header of
# server/ is included by its layer's path ("core/audit.h").  A library's
# headers only in its door (the PKGS_lib/... and *_CPKGS lists above).
layers:
	@tools/layers.sh

# --- style ----------------------------------------------------------------------

C_FILES := $(wildcard lib/*.c server/*/*.c kiosk/*.c tools/*.c tests/unit/*.c \
	tests/fuzz/*.c) $(wildcard include/hailong/*.h server/*/*.h kiosk/*.h \
	tests/unit/*.h)

format:
	clang-format -i $(C_FILES)

format-check:
	@clang-format --dry-run --Werror $(C_FILES) && echo "format-check: ok"

lint: all
	@tools/deps.sh lint
	cppcheck --quiet --error-exitcode=1 --enable=warning,portability \
		--inline-suppr --std=c11 -D_POSIX_C_SOURCE=200809L -Iinclude \
		-Iserver --suppress=missingIncludeSystem lib server kiosk
	clang-tidy --quiet $(LIB_SRC) $(SERVER_SRC) server/cli/main.c \
		$(KIOSK_SRC) kiosk/main.c -- \
		$(CPPFLAGS) $(PKG_CFLAGS) -std=c11

# --- installing -----------------------------------------------------------------

# Binaries, systemd units (their paths rewritten for BINDIR and
# SYSCONFDIR), sysusers.d and tmpfiles.d entries, man pages, the example
# configuration in /etc/hailong (never over an existing one: an edited
# file stays), in DOCDIR, the nginx example, and in DATADIR the national
# list of units for `hailong unit import` (data/SOURCES.md says where it
# comes from).  hailong-kiosk is installed when it has been built.  See
# README "Deploying".
BINDIR ?= $(PREFIX)/bin
SYSCONFDIR ?= /etc
LIBDIR_SYSTEMD ?= $(PREFIX)/lib
UNITDIR ?= $(LIBDIR_SYSTEMD)/systemd/system
SYSUSERSDIR ?= $(LIBDIR_SYSTEMD)/sysusers.d
TMPFILESDIR ?= $(LIBDIR_SYSTEMD)/tmpfiles.d
MANDIR ?= $(PREFIX)/share/man
DOCDIR ?= $(PREFIX)/share/doc/hailong
DATADIR ?= $(PREFIX)/share/hailong
UNITS := $(wildcard etc/systemd/*.service etc/systemd/*.timer)
UNIT_SED := -e 's|/usr/local/bin/|$(BINDIR)/|g' \
	-e 's|/etc/hailong/|$(SYSCONFDIR)/hailong/|g'

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(UNITDIR) \
		$(DESTDIR)$(SYSUSERSDIR) $(DESTDIR)$(TMPFILESDIR) \
		$(DESTDIR)$(MANDIR)/man8 $(DESTDIR)$(DOCDIR) \
		$(DESTDIR)$(DATADIR) $(DESTDIR)$(SYSCONFDIR)/hailong
	install -m 0755 $(BUILD)/bin/hailong $(DESTDIR)$(BINDIR)/hailong
	if [ -x $(BUILD)/bin/hailong-kiosk ]; then install -m 0755 \
		$(BUILD)/bin/hailong-kiosk $(DESTDIR)$(BINDIR)/hailong-kiosk; fi
	for u in $(UNITS); do \
		sed $(UNIT_SED) $$u > $(DESTDIR)$(UNITDIR)/$${u##*/} && \
		chmod 0644 $(DESTDIR)$(UNITDIR)/$${u##*/} || exit 1; \
	done
	install -m 0644 etc/sysusers.d/*.conf $(DESTDIR)$(SYSUSERSDIR)/
	install -m 0644 etc/tmpfiles.d/*.conf $(DESTDIR)$(TMPFILESDIR)/
	install -m 0644 man/hailong.8 man/hailong-kiosk.8 \
		$(DESTDIR)$(MANDIR)/man8/
	install -m 0644 etc/nginx-hailong.conf etc/hailong.conf \
		$(DESTDIR)$(DOCDIR)/
	install -m 0644 data/vn-units-2025.csv data/SOURCES.md \
		$(DESTDIR)$(DATADIR)/
	if [ ! -e $(DESTDIR)$(SYSCONFDIR)/hailong/hailong.conf ]; then \
		install -m 0644 etc/hailong.conf \
		$(DESTDIR)$(SYSCONFDIR)/hailong/hailong.conf; fi

# An /etc/hailong/hailong.conf that was edited is left in place.
uninstall:
	rm -f $(DESTDIR)$(BINDIR)/hailong $(DESTDIR)$(BINDIR)/hailong-kiosk
	for u in $(UNITS); do rm -f $(DESTDIR)$(UNITDIR)/$${u##*/}; done
	for f in etc/sysusers.d/*.conf; do \
		rm -f $(DESTDIR)$(SYSUSERSDIR)/$${f##*/}; done
	for f in etc/tmpfiles.d/*.conf; do \
		rm -f $(DESTDIR)$(TMPFILESDIR)/$${f##*/}; done
	rm -f $(DESTDIR)$(MANDIR)/man8/hailong.8 \
		$(DESTDIR)$(MANDIR)/man8/hailong-kiosk.8
	rm -f $(DESTDIR)$(DOCDIR)/nginx-hailong.conf \
		$(DESTDIR)$(DOCDIR)/hailong.conf
	-rmdir $(DESTDIR)$(DOCDIR) 2>/dev/null
	rm -f $(DESTDIR)$(DATADIR)/vn-units-2025.csv \
		$(DESTDIR)$(DATADIR)/SOURCES.md
	-rmdir $(DESTDIR)$(DATADIR) 2>/dev/null
	if cmp -s etc/hailong.conf \
		$(DESTDIR)$(SYSCONFDIR)/hailong/hailong.conf; then \
		rm -f $(DESTDIR)$(SYSCONFDIR)/hailong/hailong.conf; \
		rmdir $(DESTDIR)$(SYSCONFDIR)/hailong 2>/dev/null || true; \
	fi

clean:
	rm -rf build
