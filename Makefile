# Builds for AWS Lambda (provided.al2023). `sam build` calls the
# build-<LogicalId> target with ARTIFACTS_DIR set.
GOARCH ?= arm64
GOFLAGS_LAMBDA = CGO_ENABLED=0 GOOS=linux GOARCH=$(GOARCH)

.PHONY: build test build-OlkitFunction

build:
	mkdir -p bin/$(GOARCH)
	$(GOFLAGS_LAMBDA) go build -tags lambda.norpc -trimpath -ldflags='-s -w' -o bin/$(GOARCH)/bootstrap ./cmd/bootstrap
	go build -o bin/olkit ./cmd/olkit

test:
	go test ./...

build-OlkitFunction:
	$(GOFLAGS_LAMBDA) go build -tags lambda.norpc -trimpath -ldflags='-s -w' -o $(ARTIFACTS_DIR)/bootstrap ./cmd/bootstrap
