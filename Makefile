# unmask: one plain, non-recursive GNU Makefile (docs/ARCHITECTURE.md, STYLE R9).
#
#   make              build build/release/unmask
#   make check        install missing packages, build, run every test; then again under ASan+UBSan
#   make demo         the main job (see README)
#   make bench        benchmarks in bench/ (not part of check)
#   make fuzz         libFuzzer binaries with clang (build/fuzz/); make fuzz-run FUZZ_SECONDS=30
#   make BUILD=asan   any target in the sanitizer variant (build/asan/)

BUILD ?= release
O := build/$(BUILD)

CC_release := gcc
CC_asan := gcc
CC_fuzz := clang
CC := $(CC_$(BUILD))

PKGS := libpcre2-8 yajl sqlite3 libxml-2.0 openssl
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lcsv

WARN := -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wformat=2 \
        -Wvla -Wimplicit-fallthrough -Wno-format-nonliteral
CFLAGS_release := -O2 -g -DNDEBUG -D_FORTIFY_SOURCE=2 -fstack-protector-strong
LDFLAGS_release := -Wl,-z,relro -Wl,-z,now
CFLAGS_asan := -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
LDFLAGS_asan := -fsanitize=address,undefined
CFLAGS_fuzz := -O1 -g -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer
LDFLAGS_fuzz := -fsanitize=address,undefined

CFLAGS := -std=c11 -D_DEFAULT_SOURCE $(WARN) $(WERROR) $(CFLAGS_$(BUILD)) $(PKG_CFLAGS) -MMD -MP
LDFLAGS := $(LDFLAGS_$(BUILD))
LDLIBS := $(PKG_LIBS) -lm

# Everything but main.c goes into one static library that tests and fuzz targets link.
LIB_SRC := $(filter-out src/main.c,$(wildcard src/*.c src/*/*.c))
LIB_OBJ := $(LIB_SRC:%.c=$(O)/%.o)
LIB := $(O)/libunmask.a
BIN := $(O)/unmask

UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(O)/tests/%)
FUZZ_SRC := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_NAMES := $(FUZZ_SRC:tests/fuzz/fuzz_%.c=%)
REPLAY_BIN := $(FUZZ_NAMES:%=$(O)/tests/replay_%)
LIBFUZZER_BIN := $(FUZZ_NAMES:%=build/fuzz/fuzz_%)

# Keep test and fuzz objects between runs (they are otherwise intermediates and rebuilt each time).
.SECONDARY:

.PHONY: FORCE all check check-one demo bench fuzz fuzz-run clean deps format lint

all: deps-build $(BIN)

deps-build:
	@scripts/deps.sh build

$(O)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c -o $@ $<

# The store's schema and migrations are plain SQL files compiled into the program (xxd -i), so
# nothing is installed beside the binary (docs/STORE.md): src/store/NAME.sql becomes NAME_sql[].
$(O)/src/store/%_sql.h: src/store/%.sql
	@mkdir -p $(dir $@)
	{ echo 'static const unsigned char $*_sql[] = {'; xxd -i < $<; echo '};'; } > $@.tmp
	mv $@.tmp $@
$(O)/src/store/store.o: $(patsubst src/store/%.sql,$(O)/src/store/%_sql.h,$(wildcard src/store/*.sql))
$(O)/src/store/store.o: CFLAGS += -I$(O)/src/store

$(LIB): $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BIN): $(O)/src/main.o $(LIB)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(O)/tests/test_%: $(O)/tests/unit/test_%.o $(O)/tests/harness.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(O)/tests/harness.o: tests/harness.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c -o $@ $<

$(O)/tests/replay_%: $(O)/tests/fuzz/fuzz_%.o $(O)/tests/fuzz/replay.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

build/fuzz/fuzz_%: tests/fuzz/fuzz_%.c FORCE
	$(MAKE) --no-print-directory BUILD=fuzz build/fuzz/libunmask.a
	clang -std=c11 -D_DEFAULT_SOURCE -O1 -g -fsanitize=fuzzer,address,undefined $(PKG_CFLAGS) \
	    -o $@ $< build/fuzz/libunmask.a $(PKG_LIBS) -lm

# check: the whole suite in the release build, then again under ASan+UBSan.
check:
	@scripts/deps.sh check
	$(MAKE) --no-print-directory BUILD=release WERROR=-Werror check-one
	$(MAKE) --no-print-directory BUILD=asan WERROR=-Werror check-one
	@echo "check: all suites passed (release and asan)"

# Tests never touch the user's own history: the runs they record go to a database under build/.
check-one: export XDG_DATA_HOME := $(abspath $(O))/xdg-data
check-one: export UNMASK_DB :=
check-one: $(BIN) $(UNIT_BIN) $(REPLAY_BIN)
	@echo "== unit ($(BUILD))"
	@set -e; for t in $(UNIT_BIN); do timeout 120 $$t; done
	@echo "== fuzz corpus replay ($(BUILD))"
	@set -e; for n in $(FUZZ_NAMES); do timeout 300 $(O)/tests/replay_$$n tests/fuzz/corpus/$$n; done
	@echo "== knowledge files ($(BUILD))"
	$(BIN) rules check rules
	@echo "== integration ($(BUILD))"
	@set -e; for t in tests/integration/*.sh; do echo "-- $$t"; \
	    UNMASK=$(abspath $(BIN)) BUILD=$(BUILD) timeout 600 $$t; done
	@echo "== cli transcripts ($(BUILD))"
	UNMASK=$(abspath $(BIN)) TESTDIR=$(abspath tests) timeout 300 cram3 -q --shell=/bin/bash tests/cli

demo: all
	@scripts/deps.sh demo
	@scripts/demo.sh $(BIN)

bench: all
	bench/identify_bench.sh $(BIN)
	bench/inventory_bench.sh $(BIN)
	bench/lab_bench.sh $(BIN)
	bench/scan_vs_peers.sh $(BIN)

FORCE:

fuzz: $(LIBFUZZER_BIN)

FUZZ_SECONDS ?= 30
fuzz-run: fuzz
	@set -e; for n in $(FUZZ_NAMES); do \
	    mkdir -p build/fuzz/corpus-$$n; \
	    build/fuzz/fuzz_$$n -max_total_time=$(FUZZ_SECONDS) -max_len=65536 \
	        build/fuzz/corpus-$$n tests/fuzz/corpus/$$n; done

format:
	clang-format -i $(wildcard src/*.c src/*/*.c src/*/*.h tests/*/*.c tests/*.c tests/*.h)

lint:
	cppcheck --quiet --enable=warning,portability --std=c11 --error-exitcode=1 src

clean:
	rm -rf build

-include $(shell find build -name '*.d' 2>/dev/null)
