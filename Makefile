# agencybot — make help lists the targets.
GO      ?= go
BIN     ?= bin/agencybot
PKGS    ?= ./...
TIMEOUT ?= 40m
# The source documents the seeds are compared with (make check-seeds); they
# are not in the repository, so make test does not read them.
PLANS_DIR ?= ../shared/plans
# The race detector instruments our code and the libraries it calls, but not
# the pure-Go SQLite under the embedded database: it is C translated to Go,
# does most of a test's work, and under -race (which also turns on checkptr,
# a third of its time) made the suite 12 min. FerretDB keeps its
# instrumentation (without it the detector reported races inside
# encoding/gob's type cache that it does not report with it), not checkptr.
RACE    ?= -race -gcflags='modernc.org/...=-race=false -d=checkptr=0' \
	-gcflags='github.com/FerretDB/...=-d=checkptr=0'

.DEFAULT_GOAL := help

.PHONY: help run build test test-clocks check-seeds lint vet fmt seed export bench fuzz clean

help: ## list the targets
	@awk 'BEGIN{FS=":.*## "} /^[a-zA-Z_-]+:.*## /{printf "  %-8s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

run: ## start the bot (no TELEGRAM_BOT_TOKEN: the sandbox page on 127.0.0.1:8080)
	$(GO) run ./cmd/agencybot run

build: ## build bin/agencybot
	$(GO) build -o $(BIN) ./cmd/agencybot

test: lint ## vet, gofmt check and the race-detector test suite
	$(GO) test $(RACE) -timeout $(TIMEOUT) $(PKGS)

# The instants test-clocks pins the whole-program tests to (Asia/Ho_Chi_Minh):
# a Wednesday 10:00 (after the reminder slot), a Sunday 23:59, and New Year's
# Eve 23:59:30 (the run crosses midnight into a new year).
CLOCKS ?= 2026-12-02T10:00:00+07:00 2026-12-06T23:59:00+07:00 2026-12-31T23:59:30+07:00

test-clocks: ## the tests that start the whole program (cmd, sandbox), once per instant in CLOCKS
	@for at in $(CLOCKS); do \
		echo "== AGENCYBOT_TEST_AT=$$at"; \
		AGENCYBOT_TEST_AT=$$at $(GO) test -count=1 -timeout $(TIMEOUT) ./cmd/... ./sandbox/ || exit 1; \
	done

check-seeds: ## compare seeds/ with the source documents in PLANS_DIR (default ../shared/plans)
	@test -d "$(PLANS_DIR)" || { echo "check-seeds: PLANS_DIR=$(PLANS_DIR) is not a folder (it holds the source plans)"; exit 1; }
	PLANS_DIR="$(abspath $(PLANS_DIR))" $(GO) test -tags checkseeds -count=1 -run 'MatchesSource|TextsOccurInSource' -v ./seeds/

lint: vet fmt ## go vet and a gofmt check

vet: ## go vet
	$(GO) vet $(PKGS)

fmt: ## fail when gofmt would change a file
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

seed: ## load the plans in seeds/ into the database (idempotent)
	$(GO) run ./cmd/agencybot seed

export: ## print every task as JSON
	$(GO) run ./cmd/agencybot export --format json

bench: ## benchmarks (figures named in the issues)
	$(GO) test -run '^$$' -bench . -benchtime 1x $(PKGS)

fuzz: ## a short fuzz run of the text parsers
	$(GO) test -run '^$$' -fuzz FuzzParse -fuzztime 20000x ./deadline/
	$(GO) test -run '^$$' -fuzz FuzzNormalizeAndParse -fuzztime 20000x ./agency/

clean: ## remove build output (not the data)
	rm -rf bin
