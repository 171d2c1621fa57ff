# Builds for AWS Lambda (provided.al2023). `sam build` calls the
# build-<LogicalId> target with ARTIFACTS_DIR set.
GOARCH ?= arm64
# The main package of the function: a custom binary with your own plugins
# is built with BOOTSTRAP_PKG=./path/to/your/cmd/bootstrap (also for sam build).
BOOTSTRAP_PKG ?= ./cmd/bootstrap
GOFLAGS_LAMBDA = CGO_ENABLED=0 GOOS=linux GOARCH=$(GOARCH)

.PHONY: build test build-OlkitFunction build-OlkitUrlFunction local-funcurl pgo

build:
	mkdir -p bin/$(GOARCH)
	$(GOFLAGS_LAMBDA) go build -tags lambda.norpc -trimpath -ldflags='-s -w' -o bin/$(GOARCH)/bootstrap $(BOOTSTRAP_PKG)
	$(GOFLAGS_LAMBDA) go build -tags lambda.norpc -trimpath -ldflags='-s -w' -o bin/$(GOARCH)/funcurl/bootstrap ./cmd/funcurl
	go build -o bin/olkit ./cmd/olkit

test:
	go test ./...

build-OlkitFunction:
	$(GOFLAGS_LAMBDA) go build -tags lambda.norpc -trimpath -ldflags='-s -w' -o $(ARTIFACTS_DIR)/bootstrap $(BOOTSTRAP_PKG)

# The function URL function, for accounts without S3 Object Lambda.
build-OlkitUrlFunction:
	$(GOFLAGS_LAMBDA) go build -tags lambda.norpc -trimpath -ldflags='-s -w' -o $(ARTIFACTS_DIR)/bootstrap ./cmd/funcurl

# The function URL function for this machine, to run under the local
# emulator: go run ./cmd/localemu --config deploy/localemu-funcurl.json
# (deploy/README.md). lambda.norpc: the streamed function URL response
# needs it.
LOCAL_BIN ?= bin/local
local-funcurl:
	CGO_ENABLED=0 go build -tags lambda.norpc -trimpath -o $(LOCAL_BIN)/funcurl/bootstrap ./cmd/funcurl

# default.pgo beside each main package below is the CPU profile they are
# built with (profile-guided optimisation, on by default since Go 1.21):
# the redact and decompress benchmarks, where a function spends its time.
# It makes redaction 5-7% cheaper per byte (docs/benchmarks.md). Refresh
# it after changing a hot path: make pgo.
PGO_MAINS = cmd/bootstrap cmd/funcurl cmd/olkit
pgo:
	mkdir -p bin/pgo
	go test -run '^$$' -bench 'Redact|Detect$$|AccessControl' -benchtime 20x -o bin/pgo/redact.test -cpuprofile $(CURDIR)/bin/pgo/redact.pprof ./transforms/redact
	go test -run '^$$' -bench 'Decompress$$' -benchtime 5x -o bin/pgo/decompress.test -cpuprofile $(CURDIR)/bin/pgo/decompress.pprof ./transforms/decompress
	go tool pprof -proto bin/pgo/redact.pprof bin/pgo/decompress.pprof > bin/pgo/default.pgo
	for d in $(PGO_MAINS); do cp bin/pgo/default.pgo $$d/default.pgo; done
