# Media Desk — `make run` starts the app, `make test` runs every check.
# Both install missing Debian/Ubuntu packages first (scripts/deps.sh).

GO      ?= go
export PATH := /usr/local/go/bin:$(PATH)

.PHONY: deps run test fmt-check vet unit smoke crash-test bench build dist

deps:
	@scripts/deps.sh

build: deps
	$(GO) build -o mediadesk .

run: deps
	$(GO) run . $(ARGS)

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

# go vet, then staticcheck (bugs, deprecated API, dead code), pinned and
# run from the module cache so that go.mod stays the app's own.
STATICCHECK ?= honnef.co/go/tools/cmd/staticcheck@v0.8.2
vet: deps
	$(GO) vet ./...
	$(GO) run $(STATICCHECK) ./...

unit: deps
	$(GO) test -count=1 ./...

test: deps fmt-check vet unit smoke smoke-windows ime-check dist

smoke: deps
	scripts/smoke.sh

# The Windows build really starts: cross-builds mediadesk.exe, checks its
# imported DLLs, runs it under wine on Xvfb with a test store, screenshots.
.PHONY: smoke-windows
smoke-windows: deps
	@scripts/deps.sh wine
	scripts/smoke-windows.sh

# Chinese typing through a real input method: fcitx5 pinyin over XIM on
# Xvfb types "nihao" + space into the post editor; 你好 must arrive.
.PHONY: ime-check
ime-check: deps
	@scripts/deps.sh ime
	scripts/ime-check.sh

# The crash test kills a writer 30 times in `make test`; this runs the full 200.
crash-test: deps
	$(GO) test -count=1 -v -run 'TestCrash$$' ./data -crash.runs=200

bench: deps
	$(GO) test -run '^$$' -bench . -benchmem ./data/... ./app/... ./sync/...

# Every fuzz target for FUZZTIME each. Minimizing a new input is capped at
# 100 runs: the default (60 s per input) stalls the bundle reader's
# targets, whose inputs are 16 KiB and more, for minutes at a time.
FUZZTIME ?= 30s
.PHONY: fuzz
fuzz: deps
	@for pkg in $$($(GO) list ./...); do \
	  targets=$$($(GO) test -list '^Fuzz' $$pkg) || exit 1; \
	  for target in $$(echo "$$targets" | grep '^Fuzz'); do \
	    echo "== $$pkg $$target"; \
	    $(GO) test -run '^$$' -fuzz "^$$target\$$" -fuzztime $(FUZZTIME) -fuzzminimizetime 100x $$pkg || exit 1; \
	  done; \
	done

# The window's numbers: time to the first drawn frame (warm and, as root,
# cold) next to a bare Fyne window's, and resident memory with every area
# of the demo HQ and station opened (Xvfb, Mesa's software renderer).
.PHONY: window-numbers
window-numbers: deps
	@scripts/deps.sh window
	scripts/window-numbers.sh

# Release packages into dist/: Windows amd64 (.zip with the .exe), Linux
# amd64 (.tar.xz), Linux arm64 when its cross toolchain is installed
# (scripts/deps.sh arm64), and SHA256SUMS.
dist: deps
	@scripts/deps.sh dist
	scripts/dist.sh

# The demo county (HQ and 3 stations with about two months of work and
# real sync bundles; UNITS=N for more) in a temporary folder: prints the
# users and passwords and opens the window on 城关派出所.
.PHONY: demo screenshots
demo: deps
	scripts/demo.sh

# Every main screen of a station and of HQ, from a demo county under Xvfb,
# into docs/images/ for the guides.
screenshots: deps
	scripts/screenshots.sh
