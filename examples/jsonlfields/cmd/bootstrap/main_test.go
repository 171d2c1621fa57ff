package main

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/olkit/olkit/transforms"
)

// TestRegistered checks that the binary offers the example and the
// built-ins.
func TestRegistered(t *testing.T) {
	assert.Subset(t, transforms.Names(), []string{"identity", "decompress", "jsonl-fields"})
}
