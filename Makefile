# Media Desk — `make run` starts the app, `make test` runs every check.
# Both install missing Debian/Ubuntu packages first (scripts/deps.sh).

GO      ?= go
export PATH := /usr/local/go/bin:$(PATH)

.PHONY: deps run test fmt-check vet unit smoke crash-test bench build

deps:
	@scripts/deps.sh

build: deps
	$(GO) build -o mediadesk .

run: deps
	$(GO) run . $(ARGS)

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

vet: deps
	$(GO) vet ./...

unit: deps
	$(GO) test -count=1 ./...

test: deps fmt-check vet unit smoke

smoke: deps
	scripts/smoke.sh

# The crash test kills a writer 30 times in `make test`; this runs the full 200.
crash-test: deps
	$(GO) test -count=1 -v -run 'TestCrash$$' ./data -crash.runs=200

bench: deps
	$(GO) test -run '^$$' -bench . -benchmem ./data/... ./app/...
