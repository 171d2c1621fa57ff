# Builds for AWS Lambda (provided.al2023). `sam build` calls the
# build-<LogicalId> target with ARTIFACTS_DIR set.
GOARCH ?= arm64
# The main package of the function: a custom binary with your own plugins
# is built with BOOTSTRAP_PKG=./path/to/your/cmd/bootstrap (also for sam build).
BOOTSTRAP_PKG ?= ./cmd/bootstrap
GOFLAGS_LAMBDA = CGO_ENABLED=0 GOOS=linux GOARCH=$(GOARCH)

.PHONY: build test build-OlkitFunction build-OlkitUrlFunction local-funcurl

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
