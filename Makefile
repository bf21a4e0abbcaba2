# feedpipe: small filters that turn research feeds into Markdown digests.
PREFIX = /usr/local
MANPREFIX = $(PREFIX)/share/man
# the daily digest's rules and scripts, and an example digest directory
SHAREDIR = $(PREFIX)/share/feedpipe
DAILY_LIB = examples/fetch examples/day examples/cascade examples/counts.mustache examples/sources.mustache
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

PROGS = feed2jsonl dedup classify render-md enrich render-feed
# common/: only what two or more programs link (see common/README)
COMMON_SRC = common/util.c common/buf.c common/text.c common/jw.c common/date.c \
	common/sha1.c common/jsonl.c common/path.c common/jscan.c common/jwalk.c common/hset.c \
	common/jstream.c common/jb.c common/rec.c
COMMON_OBJ = $(COMMON_SRC:.c=.o)
COMMON_HDR = $(COMMON_SRC:.c=.h) common/fields.h
# each program's own code: cmd/PROG/main.c and its modules
SRC_feed2jsonl = cmd/feed2jsonl/main.c cmd/feed2jsonl/feed.c cmd/feed2jsonl/jsonfeed.c \
	cmd/feed2jsonl/names.c cmd/feed2jsonl/attr.c cmd/feed2jsonl/element.c cmd/feed2jsonl/atom.c \
	cmd/feed2jsonl/rss.c cmd/feed2jsonl/capture.c cmd/feed2jsonl/entity.c cmd/feed2jsonl/problem.c \
	cmd/feed2jsonl/item.c cmd/feed2jsonl/record.c \
	cmd/feed2jsonl/html.c cmd/feed2jsonl/script.c cmd/feed2jsonl/authors.c \
	cmd/feed2jsonl/boiler.c cmd/feed2jsonl/ident.c cmd/feed2jsonl/ampfix.c \
	cmd/feed2jsonl/recode.c
SRC_dedup = cmd/dedup/main.c cmd/dedup/seen.c cmd/dedup/simidx.c \
	cmd/dedup/title.c cmd/dedup/merge.c cmd/dedup/keys.c cmd/dedup/paper.c \
	cmd/dedup/opts.c cmd/dedup/emit.c
SRC_classify = cmd/classify/main.c cmd/classify/rules.c cmd/classify/aho.c \
	cmd/classify/nb.c cmd/classify/words.c cmd/classify/stem.c cmd/classify/like.c \
	cmd/classify/verdicts.c cmd/classify/evaluate.c cmd/classify/settings.c \
	cmd/classify/additions.c cmd/classify/ruleparse.c
SRC_render-md = cmd/render-md/main.c cmd/render-md/view.c cmd/render-md/group.c \
	cmd/render-md/mst.c cmd/render-md/mstrender.c cmd/render-md/md.c \
	cmd/render-md/mdblock.c cmd/render-md/mdscan.c cmd/render-md/page.c cmd/render-md/mail.c
SRC_enrich = cmd/enrich/main.c cmd/enrich/win.c cmd/enrich/request.c cmd/enrich/llm.c \
	cmd/enrich/cache.c cmd/enrich/prompt.c cmd/enrich/secret.c
SRC_render-feed = cmd/render-feed/main.c
PROG_SRC = $(foreach p,$(PROGS),$(SRC_$(p)))
PROG_HDR = $(wildcard cmd/*/*.h)
# the programs' modules without their mains, for unit tests and fuzzers
MODS_SRC = $(filter-out %/main.c,$(PROG_SRC))
MODS_INC = $(PROGS:%=-Icmd/%)
UNIT_TESTS = tests/unit/test-date tests/unit/test-jsonl tests/unit/test-path tests/unit/test-ampfix \
	tests/unit/test-aho tests/unit/test-llm tests/unit/test-recode tests/unit/test-html tests/unit/test-rec
MAN1 = $(PROGS:%=man/man1/%.1)
MAN5 = man/man5/feedpipe.5 man/man5/feedpipe-rules.5 man/man5/feedpipe-prompt.5
MAN7 = man/man7/feedpipe.7

all: $(PROGS)

# a sanitizer build must not reuse objects built without it
.build-flags: FORCE
	@echo '$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS)' | cmp -s - $@ || echo '$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS)' > $@

FORCE:

.c.o:
	$(CC) $(ALL_CFLAGS) $(PROG_CFLAGS) -c -o $@ $<

$(COMMON_OBJ) $(PROG_SRC:.c=.o): $(COMMON_HDR) $(PROG_HDR) .build-flags

# render-md's built-in layouts, compiled in (cmd/render-md/layouts.h is committed)
LAYOUTS = cmd/render-md/layouts/list.mustache cmd/render-md/layouts/list-record.mustache \
	cmd/render-md/layouts/toc.mustache cmd/render-md/layouts/toc-record.mustache

cmd/render-md/layouts.h: cmd/render-md/layouts/mklayouts $(LAYOUTS)
	sh cmd/render-md/layouts/mklayouts $(LAYOUTS) > $@.tmp && mv $@.tmp $@

cmd/render-md/main.o: cmd/render-md/layouts.h

libcommon.a: $(COMMON_OBJ)
	rm -f $@
	ar rcs $@ $(COMMON_OBJ)

libmods.a: $(MODS_SRC:.c=.o)
	rm -f $@
	ar rcs $@ $(MODS_SRC:.c=.o)

.SECONDEXPANSION:
$(PROGS): $$(patsubst %.c,%.o,$$(SRC_$$@)) libcommon.a
	$(CC) $(ALL_LDFLAGS) -o $@ $(patsubst %.c,%.o,$(SRC_$@)) libcommon.a $(PKG_LIBS) $(PROG_LIBS)

# enrich loads libcurl with dlopen when its first request is due (a run
# from the cache starts in a third of the time): headers only at build time
cmd/enrich/main.o: PROG_CFLAGS = $$($(PKG_CONFIG) --cflags libcurl)
enrich: PROG_LIBS = -ldl
classify: PROG_LIBS = $(STEM_LIBS)
# render-md --format html: libcmark-gfm (no pkg-config file in Debian)
CMARK_LIBS = -lcmark-gfm-extensions -lcmark-gfm
render-md: PROG_LIBS = $(CMARK_LIBS)

$(UNIT_TESTS): %: %.c libmods.a libcommon.a .build-flags
	$(CC) $(ALL_CFLAGS) $(MODS_INC) $(ALL_LDFLAGS) -o $@ $@.c libmods.a libcommon.a $(PKG_LIBS) $(STEM_LIBS) $(CMARK_LIBS)

# Fuzzing with libFuzzer (clang, libclang-rt-14-dev): make fuzz FUZZ_SECONDS=60
FUZZ_TARGETS = feed jsonfeed html jsonl path date ampfix rules mustache llm state
FUZZ_SECONDS = 60
FUZZ_CC = clang
FUZZ_FLAGS = -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined
FUZZ_SEEDS_feed = examples/feeds tests/fixtures/feed2jsonl
FUZZ_SEEDS_html = tests/fixtures/feed2jsonl
FUZZ_SEEDS_jsonl = tests/fixtures/dedup
FUZZ_SEEDS_ampfix = tests/fixtures/feed2jsonl
FUZZ_SEEDS_rules = tests/fixtures/classify
FUZZ_SEEDS_mustache = cmd/render-md/layouts
FUZZ_SEEDS_jsonfeed = examples/feeds tests/fixtures/feed2jsonl
FUZZ_SEEDS_llm = tests/fixtures/enrich/answers
FUZZ_SEEDS_state = tests/fixtures/dedup-identity/v1-state

# every target also builds with the normal compiler as fuzz/replay-TARGET,
# which make check runs on the inputs a fuzzer once crashed on
FUZZ_REPLAY = $(FUZZ_TARGETS:%=fuzz/replay-%)

$(FUZZ_REPLAY): fuzz/replay-%: fuzz/fuzz-%.c fuzz/replay.c libmods.a libcommon.a .build-flags
	$(CC) $(ALL_CFLAGS) $(MODS_INC) $(ALL_LDFLAGS) -o $@ fuzz/replay.c $< libmods.a libcommon.a $(PKG_LIBS) $(STEM_LIBS) $(CMARK_LIBS)

# the modules built for fuzzing, in an archive: a target links only what
# it uses (enrich's win.c needs main.c's settings, which no target has)
FUZZ_OBJ = $(patsubst %.c,fuzz/obj/%.o,$(COMMON_SRC) $(MODS_SRC))
$(FUZZ_OBJ): fuzz/obj/%.o: %.c $(COMMON_HDR) $(PROG_HDR) | deps-fuzz
	@mkdir -p $(@D)
	$(FUZZ_CC) $(WARN) $(DEFS) -Icommon $(MODS_INC) $(PKG_CFLAGS) $(FUZZ_FLAGS) -c -o $@ $<
fuzz/libfuzz.a: $(FUZZ_OBJ)
	rm -f $@
	ar rcs $@ $(FUZZ_OBJ)

$(FUZZ_TARGETS:%=fuzz/fuzz-%): fuzz/fuzz-%: fuzz/fuzz-%.c fuzz/libfuzz.a | deps-fuzz
	$(FUZZ_CC) $(WARN) $(DEFS) -Icommon $(MODS_INC) $(PKG_CFLAGS) $(FUZZ_FLAGS) -o $@ $< fuzz/libfuzz.a $(PKG_LIBS) $(STEM_LIBS) $(CMARK_LIBS)

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
	cp -f examples/feeds.tsv examples/rules examples/demo.tsv examples/lab.prompt examples/interests $(DESTDIR)$(SHAREDIR)/example/
	cp -f examples/feeds/* $(DESTDIR)$(SHAREDIR)/example/feeds/
	cp -f examples/.gitignore $(DESTDIR)$(SHAREDIR)/example/
	mkdir -p $(DESTDIR)$(SHAREDIR)/schedule $(DESTDIR)$(SHAREDIR)/push
	cp -f examples/schedule/* $(DESTDIR)$(SHAREDIR)/schedule/
	cp -f examples/push/* $(DESTDIR)$(SHAREDIR)/push/

uninstall:
	for p in $(PROGS); do rm -f $(DESTDIR)$(PREFIX)/bin/$$p; done
	for m in $(MAN1); do rm -f $(DESTDIR)$(MANPREFIX)/man1/$${m#man/man1/}; done
	for m in $(MAN5); do rm -f $(DESTDIR)$(MANPREFIX)/man5/$${m#man/man5/}; done
	rm -f $(DESTDIR)$(MANPREFIX)/man7/feedpipe.7
	rm -rf $(DESTDIR)$(SHAREDIR)

clean:
	$(MAKE) -s -C examples clean
	rm -f $(PROGS) cmd/*/*.o common/*.o libcommon.a libmods.a $(UNIT_TESTS) .build-flags \
		$(FUZZ_TARGETS:%=fuzz/fuzz-%) $(FUZZ_REPLAY) fuzz/libfuzz.a
	rm -rf fuzz/obj

.PHONY: all check demo bench fuzz huge-check valgrind-check deps deps-bench deps-fuzz deps-valgrind install uninstall clean FORCE
