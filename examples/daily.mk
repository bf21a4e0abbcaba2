# feedpipe's daily digest, as make rules: include this file from the
# Makefile of a digest directory (feedpipe(7), "The daily digest").
#
#   make                  today's run: fetch every feed in feeds.tsv, keep
#                         what no earlier run showed, classify, enrich when
#                         configured, add the new papers to today's digests,
#                         report on every source, and only then record the
#                         papers as seen
#   make DATE=2025-01-16  the same, filed under that day
#   make STRICT=1         fail the run when any source failed
#   make index            rewrite digests/index.md only
#
# Every run has its own scratch directory, work/DATE/RUN; what a run adds to
# a day goes into records/DATE.jsonl, and the day's digests are drawn from
# that file, so a second run on one day adds to its digests, never replaces
# them. Nothing is marked seen before the digests that show it exist.

# where the programs are ("" when they are on PATH); make install sets it
BIN ?= ..
FEEDS ?= feeds.tsv
RULES ?= rules
# a digest per class of the rules, beside the day's digest
CLASSES ?=
CACHE ?= cache
STATE ?= state/seen.tsv
SOURCES ?= state/sources.tsv
DIGESTS ?= digests
RECORDS ?= records
REPORTS ?= reports
ifndef DATE
DATE := $(shell date -u +%Y-%m-%d)
endif
# this run's name: when it started, and make's process id
ifndef RUN
RUN := $(shell date -u +%Y%m%dT%H%M%SZ)-$(shell echo $$PPID)
endif
WORK ?= work/$(DATE)/$(RUN)
# a source with no new paper for this many days is flagged in the digest
STALE_DAYS ?= 7
STRICT ?=
# channels: FEED_DAYS=N writes digests/feed.atom, the papers of the last N
# days, for a feed reader (FEED_TITLE, FEED_LINK, FEED_ID name the feed)
FEED_DAYS ?=
FEED_TITLE ?= feedpipe
FEED_LINK ?=
FEED_ID ?=
# HTML=1: every digest also as a web page, X.html beside X.md
HTML ?=
# MAIL_TO=address: the day's digest by mail (SENDMAIL) whenever a run changes it
MAIL_TO ?=
MAIL_FROM ?=
MAIL_SUBJECT ?= feedpipe digest
SENDMAIL ?= sendmail -t
LANG_AI ?= zh
ENRICH_JOBS ?= 8
# enrich runs when a model and an endpoint (or an OpenAI key) are configured
# (enrich(1), "Providers"); never put the key in a Makefile
API := $(and $(FEEDPIPE_MODEL),$(or $(FEEDPIPE_API_BASE),$(OPENAI_BASE_URL),$(FEEDPIPE_API_KEY),$(OPENAI_API_KEY)))

# the fetch and day scripts live beside this file
FEEDPIPE_LIB := $(patsubst %/,%,$(dir $(abspath $(lastword $(MAKEFILE_LIST)))))
P = $(if $(BIN),$(BIN)/)
NAMES := $(shell awk -F'\t' '!/^\#/ && NF >= 2 { print $$1 }' $(FEEDS) 2>/dev/null)
# a feed name becomes a file name and a make target
FEEDS_PROBLEM := $(shell awk -F'\t' '/^\#/ || /^[ \t]*$$/ { next } \
	NF < 2 || $$2 == "" { print FILENAME ":" NR ": no tab and URL after the name"; exit } \
	$$1 !~ /^[A-Za-z0-9][A-Za-z0-9._+-]*$$/ { print FILENAME ":" NR ": \047" $$1 "\047: a name is letters, digits and . _ + -"; exit } \
	seen[$$1]++ { print FILENAME ":" NR ": \047" $$1 "\047 is listed twice"; exit }' $(FEEDS) 2>&1)
ifeq ($(wildcard $(FEEDS)),)
FEEDS_PROBLEM := $(FEEDS): not there (a feed a line: a name, a tab, its URL)
endif
ifneq ($(FEEDS_PROBLEM),)
$(error $(FEEDS_PROBLEM))
endif

export BIN DATE RUN WORK FEEDS RULES CLASSES CACHE STATE SOURCES DIGESTS \
	RECORDS REPORTS STALE_DAYS STRICT FEED_DAYS FEED_TITLE FEED_LINK FEED_ID \
	HTML MAIL_TO MAIL_FROM MAIL_SUBJECT SENDMAIL

# a digest that could not be mailed fails the run, after the summary
day: $(WORK)/marked
	@$(FEEDPIPE_LIB)/day mail; mailed=$$?; \
	rm -rf $(WORK); rmdir $(dir $(WORK)) 2>/dev/null; \
	$(FEEDPIPE_LIB)/day finish && exit $$mailed

# 1. fetch: every run asks; an unchanged feed is not downloaded again, a feed
# that fails is reported and its last good copy, if any, used (see fetch)
$(WORK)/%.fetch:
	@mkdir -p $(WORK)
	@$(FEEDPIPE_LIB)/fetch '$*' "$$(awk -F'\t' -v n='$*' '$$1 == n { print $$2; exit }' $(FEEDS))" \
		$(CACHE) > $@.tmp && mv $@.tmp $@

# 2. records: a feed that is partly broken still gives what it can
$(WORK)/%.jsonl: $(WORK)/%.fetch
	@if [ -s $(CACHE)/$*.feed ]; then \
		$(P)feed2jsonl --source '$*' $(CACHE)/$*.feed > $@.tmp 2> $(WORK)/$*.err; \
		[ $$? -le 1 ] || : > $@.tmp; \
	else : > $@.tmp; : > $(WORK)/$*.err; fi; mv $@.tmp $@

# 3. this run's new papers: cross-listings merged, what earlier runs showed
# left out; then the run report (which stops a run that reached no source)
$(WORK)/new.jsonl: $(NAMES:%=$(WORK)/%.jsonl)
	@if [ -z '$(NAMES)' ]; then echo "feedpipe: $(FEEDS): no feeds listed" >&2; exit 2; fi
	@mkdir -p $(dir $(STATE))
	@$(P)dedup --merge --state $(STATE) $^ > $@.tmp && mv $@.tmp $@

$(WORK)/report.jsonl: $(WORK)/new.jsonl
	@$(FEEDPIPE_LIB)/day report

# 4. classes from the rules; 5. the model's words, when configured
$(WORK)/tagged.jsonl: $(WORK)/report.jsonl
	@$(P)classify -r $(RULES) $(WORK)/new.jsonl > $@.tmp && mv $@.tmp $@

# the day's records so far, then this run's papers: enrich answers again
# only what an earlier run of the day could not (a dead endpoint, a budget)
$(WORK)/day.jsonl: $(WORK)/tagged.jsonl
	@if [ -s $(RECORDS)/$(DATE).jsonl ]; then $(P)dedup $(RECORDS)/$(DATE).jsonl $<; \
	else cat $<; fi > $@.tmp && mv $@.tmp $@

$(WORK)/enriched.jsonl: $(WORK)/day.jsonl
	@if [ -n "$(API)" ] && [ -s $< ]; then \
		$(P)enrich -j $(ENRICH_JOBS) --lang $(LANG_AI) $< > $@.tmp; [ $$? -le 1 ] && mv $@.tmp $@; \
	else \
		[ -n "$(API)" ] || echo "enrich: skipped (set FEEDPIPE_MODEL and FEEDPIPE_API_BASE to use it)" >&2; \
		cp $< $@; \
	fi

# 6. the day's records become these, and the day's digests, the sources
# section and the index are drawn again from them
$(WORK)/rendered: $(WORK)/enriched.jsonl
	@$(FEEDPIPE_LIB)/day render
	@touch $@

# 7. only now are the papers recorded as seen
$(WORK)/marked: $(WORK)/rendered
	@$(P)dedup --state $(STATE) --mark $(WORK)/new.jsonl > /dev/null
	@touch $@

index:
	@$(FEEDPIPE_LIB)/day index

.PHONY: day index
.SECONDARY:
.DELETE_ON_ERROR:
