# feedpipe: small filters that turn research feeds into Markdown digests.
PREFIX = /usr/local
MANPREFIX = $(PREFIX)/share/man
# the daily digest's rules and scripts, and an example digest directory
SHAREDIR = $(PREFIX)/share/feedpipe
DAILY_LIB = examples/fetch examples/day examples/counts.mustache examples/sources.mustache
CC = cc
CFLAGS = -O2 -g
PKG_CONFIG = pkg-config
LIBS_PKG = libxml-2.0 jansson libutf8proc libpcre2-8

WARN = -std=c11 -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes
DEFS = -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE
SAN_1 = -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
SAN = $(SAN_$(SANITIZE))
PKG_CFLAGS = $$($(PKG_CONFIG) --cflags $(LIBS_PKG))
PKG_LIBS = $$($(PKG_CONFIG) --libs $(LIBS_PKG)) -lm
# libstemmer (Snowball) has no pkg-config file; only what links rules needs it
STEM_LIBS = -lstemmer
ALL_CFLAGS = $(WARN) $(DEFS) -Icommon $(PKG_CFLAGS) $(CFLAGS) $(SAN)
ALL_LDFLAGS = $(CFLAGS) $(SAN) $(LDFLAGS)

PROGS = feed2jsonl dedup classify render-md enrich
COMMON_SRC = common/util.c common/buf.c common/text.c common/jsonw.c common/html.c \
	common/date.c common/item.c common/record.c common/authors.c common/sha1.c \
	common/feed.c common/jsonfeed.c common/jstream.c common/jsonl.c common/path.c common/jscan.c \
	common/ampfix.c common/recode.c common/ident.c common/boiler.c common/hashset.c \
	common/normtitle.c common/simidx.c common/state.c common/mustache.c \
	common/mdescape.c common/jbuild.c common/words.c common/aho.c common/jwalk.c \
	common/rules.c common/stem.c common/nbayes.c common/llm.c common/cache.c common/scripts.c $(COMMON_EXTRA)
COMMON_SRC += common/like.c
COMMON_OBJ = $(COMMON_SRC:.c=.o)
COMMON_HDR = common/util.h common/buf.h common/text.h common/jsonw.h common/html.h \
	common/date.h common/item.h common/authors.h common/sha1.h common/feed.h \
	common/fields.h common/jstream.h common/jsonl.h common/path.h common/jscan.h common/ampfix.h common/recode.h \
	common/ident.h common/boiler.h common/hashset.h common/normtitle.h \
	common/simidx.h common/state.h common/mustache.h common/mdescape.h \
	common/jbuild.h common/words.h common/aho.h common/jwalk.h common/rules.h \
	common/stem.h common/nbayes.h common/llm.h common/cache.h common/scripts.h
COMMON_HDR += common/like.h
UNIT_TESTS = tests/unit/test-date tests/unit/test-jsonl tests/unit/test-path tests/unit/test-ampfix \
	tests/unit/test-aho tests/unit/test-llm tests/unit/test-recode tests/unit/test-html
MAN1 = $(PROGS:%=man/man1/%.1)
MAN5 = man/man5/feedpipe.5 man/man5/feedpipe-rules.5
MAN7 = man/man7/feedpipe.7

all: $(PROGS)

# a sanitizer build must not reuse objects built without it
.build-flags: FORCE
	@echo '$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS)' | cmp -s - $@ || echo '$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS)' > $@

FORCE:

.c.o:
	$(CC) $(ALL_CFLAGS) $(PROG_CFLAGS) -c -o $@ $<

$(COMMON_OBJ) $(PROGS:%=cmd/%.o): $(COMMON_HDR) .build-flags

# render-md's built-in layouts, compiled in (common/layouts.h is committed)
LAYOUTS = templates/list.mustache templates/list-record.mustache \
	templates/toc.mustache templates/toc-record.mustache

common/layouts.h: templates/mklayouts $(LAYOUTS)
	sh templates/mklayouts $(LAYOUTS) > $@.tmp && mv $@.tmp $@

cmd/render-md.o: common/layouts.h

libcommon.a: $(COMMON_OBJ)
	rm -f $@
	ar rcs $@ $(COMMON_OBJ)

$(PROGS): %: cmd/%.o libcommon.a
	$(CC) $(ALL_LDFLAGS) -o $@ cmd/$@.o libcommon.a $(PKG_LIBS) $(PROG_LIBS)

# enrich loads libcurl with dlopen when its first request is due (a run
# from the cache starts in a third of the time): headers only at build time
cmd/enrich.o: PROG_CFLAGS = $$($(PKG_CONFIG) --cflags libcurl)
enrich: PROG_LIBS = -ldl
classify: PROG_LIBS = $(STEM_LIBS)

$(UNIT_TESTS): %: %.c libcommon.a .build-flags
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $@.c libcommon.a $(PKG_LIBS)

# Fuzzing with libFuzzer (clang, libclang-rt-14-dev): make fuzz FUZZ_SECONDS=60
FUZZ_TARGETS = feed jsonfeed html jsonl path date ampfix rules mustache llm
FUZZ_SECONDS = 60
FUZZ_CC = clang
FUZZ_FLAGS = -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined
FUZZ_SEEDS_feed = examples/feeds tests/fixtures/feed2jsonl
FUZZ_SEEDS_html = tests/fixtures/feed2jsonl
FUZZ_SEEDS_jsonl = tests/fixtures/dedup
FUZZ_SEEDS_ampfix = tests/fixtures/feed2jsonl
FUZZ_SEEDS_rules = tests/fixtures/classify
FUZZ_SEEDS_mustache = templates
FUZZ_SEEDS_jsonfeed = examples/feeds tests/fixtures/feed2jsonl
FUZZ_SEEDS_llm = tests/fixtures/enrich/answers

# every target also builds with the normal compiler as fuzz/replay-TARGET,
# which make check runs on the inputs a fuzzer once crashed on
FUZZ_REPLAY = $(FUZZ_TARGETS:%=fuzz/replay-%)

$(FUZZ_REPLAY): fuzz/replay-%: fuzz/fuzz-%.c fuzz/replay.c libcommon.a .build-flags
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ fuzz/replay.c $< libcommon.a $(PKG_LIBS) $(STEM_LIBS)

$(FUZZ_TARGETS:%=fuzz/fuzz-%): fuzz/fuzz-%: fuzz/fuzz-%.c $(COMMON_SRC) $(COMMON_HDR) | deps-fuzz
	$(FUZZ_CC) $(WARN) $(DEFS) -Icommon $(PKG_CFLAGS) $(FUZZ_FLAGS) -o $@ $< $(COMMON_SRC) $(PKG_LIBS) $(STEM_LIBS)

fuzz: $(FUZZ_TARGETS:%=fuzz/fuzz-%)
	@for t in $(FUZZ_TARGETS); do \
		mkdir -p fuzz/corpus/$$t fuzz/crashes; \
		echo "fuzz: $$t for $(FUZZ_SECONDS) s"; \
		./fuzz/fuzz-$$t -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
			-artifact_prefix=fuzz/crashes/$$t- fuzz/corpus/$$t $(FUZZ_SEEDS_$$t) \
			2>&1 | grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb|#[0-9]+[[:space:]]+DONE|==[0-9]+==ERROR|SUMMARY)' || true; \
	done

deps:
	@./tools/deps

# the test suite with every program under valgrind (about 15 minutes)
valgrind-check: deps deps-valgrind all $(UNIT_TESTS) $(FUZZ_REPLAY)
	tests/valgrind-check

# huge inputs in bounded memory: a 2 GiB feed, 100 MiB lines, 10M records
# (about 6 minutes; make huge-check SCALE=0.01 takes half a minute)
huge-check: deps all
	tests/huge-inputs

# the extras some targets need (tools/deps installs what is missing)
deps-bench deps-fuzz deps-valgrind:
	@./tools/deps $(@:deps-%=%)

check: deps all $(UNIT_TESTS) $(FUZZ_REPLAY)
	@for t in $(UNIT_TESTS); do ./$$t || exit 1; done
	bats tests/

demo: deps all
	@$(MAKE) -s -C examples demo

# every benchmark at 10k, 100k and 1M items into bench/RESULTS.md (about an
# hour); e.g. make bench SIZES=10000 for a quick look
bench: deps-bench all
	./bench/run

install: all
	mkdir -p $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(MANPREFIX)/man1 \
		$(DESTDIR)$(MANPREFIX)/man5 $(DESTDIR)$(MANPREFIX)/man7
	cp -f $(PROGS) $(DESTDIR)$(PREFIX)/bin/
	cp -f $(MAN1) $(DESTDIR)$(MANPREFIX)/man1/
	cp -f $(MAN5) $(DESTDIR)$(MANPREFIX)/man5/
	cp -f $(MAN7) $(DESTDIR)$(MANPREFIX)/man7/
	mkdir -p $(DESTDIR)$(SHAREDIR)/example/feeds
	cp -f $(DAILY_LIB) $(DESTDIR)$(SHAREDIR)/
	sed 's|^BIN ?= \.\.$$|BIN ?= $(PREFIX)/bin|' examples/daily.mk > $(DESTDIR)$(SHAREDIR)/daily.mk
	sed 's|^FEEDPIPE = .*|FEEDPIPE = $(SHAREDIR)|' examples/Makefile > $(DESTDIR)$(SHAREDIR)/example/Makefile
	cp -f examples/feeds.tsv examples/rules examples/demo.tsv $(DESTDIR)$(SHAREDIR)/example/
	cp -f examples/feeds/* $(DESTDIR)$(SHAREDIR)/example/feeds/
	cp -f examples/.gitignore $(DESTDIR)$(SHAREDIR)/example/
	mkdir -p $(DESTDIR)$(SHAREDIR)/schedule
	cp -f examples/schedule/* $(DESTDIR)$(SHAREDIR)/schedule/

uninstall:
	for p in $(PROGS); do rm -f $(DESTDIR)$(PREFIX)/bin/$$p; done
	for m in $(MAN1); do rm -f $(DESTDIR)$(MANPREFIX)/man1/$${m#man/man1/}; done
	for m in $(MAN5); do rm -f $(DESTDIR)$(MANPREFIX)/man5/$${m#man/man5/}; done
	rm -f $(DESTDIR)$(MANPREFIX)/man7/feedpipe.7
	rm -rf $(DESTDIR)$(SHAREDIR)

clean:
	$(MAKE) -s -C examples clean
	rm -f $(PROGS) cmd/*.o common/*.o libcommon.a $(UNIT_TESTS) .build-flags \
		$(FUZZ_TARGETS:%=fuzz/fuzz-%) $(FUZZ_REPLAY)

.PHONY: all check demo bench fuzz huge-check valgrind-check deps deps-bench deps-fuzz deps-valgrind install uninstall clean FORCE
