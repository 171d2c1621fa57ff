package transforms

import (
	"encoding/json"
	"fmt"
	"slices"
	"sync"
)

// A Factory builds a Transform from the options an access point's payload
// gives it (nil when it gives none). Bad options should come back as an error
// that names the option and what is wrong with it; the Chain turns it into a
// 400 InvalidRequest for the caller.
type Factory func(options json.RawMessage) (Transform, error)

var (
	registryMu sync.RWMutex
	registry   = map[string]Factory{}
)

// Register makes a transform available to payloads under name. It is meant
// to be called from a plugin's init function; like sql.Register it panics if
// name is empty, factory is nil or name is taken, since each is a
// programming mistake that must not reach a deployment.
func Register(name string, factory Factory) {
	registryMu.Lock()
	defer registryMu.Unlock()
	if name == "" {
		panic("transforms: Register with an empty name")
	}
	if factory == nil {
		panic("transforms: Register of " + name + " with a nil factory")
	}
	if _, dup := registry[name]; dup {
		panic("transforms: Register called twice for " + name)
	}
	registry[name] = factory
}

// Names returns the names of the registered transforms, sorted.
func Names() []string {
	registryMu.RLock()
	defer registryMu.RUnlock()
	return namesLocked()
}

func lookup(name string) (Factory, error) {
	registryMu.RLock()
	defer registryMu.RUnlock()
	f, ok := registry[name]
	if !ok {
		return nil, fmt.Errorf("unknown transform %q (registered: %v)", name, namesLocked())
	}
	return f, nil
}

func namesLocked() []string {
	names := make([]string, 0, len(registry))
	for n := range registry {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}
