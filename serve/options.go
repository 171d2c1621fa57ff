package serve

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/olkit/olkit/s3err"
	"github.com/olkit/olkit/transforms"
)

// Options shape how Serve serves a chain's output; an access point
// sets them in its payload's "response" object:
//
//	{"transforms":[...],"response":{"maxSpoolBytes":1073741824}}
type Options struct {
	// MaxSpoolBytes bounds the temporary file the handler fills when it
	// must see the output before answering: a checksum the caller asked
	// for (x-amz-checksum-mode), or a range of an output whose length is
	// unknown. Past it, a checksum is left out and such a range is refused.
	// Default 512 MiB, Lambda's default /tmp.
	MaxSpoolBytes int64 `json:"maxSpoolBytes"`
	// PartSize is the size of the parts partNumber addresses in a
	// transformed object. Default 5 MiB.
	PartSize int64 `json:"partSize"`
}

// DefaultMaxSpoolBytes is the default for Options.MaxSpoolBytes.
const DefaultMaxSpoolBytes = 512 << 20

// withDefaults fills the zero fields.
func (o Options) withDefaults() Options {
	if o.MaxSpoolBytes <= 0 {
		o.MaxSpoolBytes = DefaultMaxSpoolBytes
	}
	if o.PartSize <= 0 {
		o.PartSize = partSize
	}
	return o
}

// ParseOptions reads a payload's "response" object (nil: the defaults).
// A fault is a 400 InvalidRequest naming it.
func ParseOptions(raw json.RawMessage) (Options, *s3err.Error) {
	o := Options{MaxSpoolBytes: DefaultMaxSpoolBytes, PartSize: partSize}
	if len(raw) == 0 || string(raw) == "null" {
		return o, nil
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&o); err != nil {
		return o, s3err.InvalidRequest("olkit: the payload's response options: %v", err)
	}
	if o.MaxSpoolBytes <= 0 {
		o.MaxSpoolBytes = DefaultMaxSpoolBytes
	}
	if o.PartSize <= 0 {
		o.PartSize = partSize
	}
	if o.PartSize < 1<<10 {
		return o, s3err.InvalidRequest("olkit: the payload's response option partSize: %s is below 1 KiB", fmt.Sprint(o.PartSize))
	}
	return o, nil
}

// ParsePayload builds the chain and the serving options an access point's
// payload describes (see transforms.ParseChain; its "response" object
// holds the Options). Faults are 400 InvalidRequest naming them, or a 500
// for a plugin that panicked on its options.
func ParsePayload(payload string) (*transforms.Chain, Options, *s3err.Error) {
	chain, err := transforms.ParseChain(payload)
	if err != nil {
		return nil, Options{}, s3err.From(err)
	}
	opts, e := ParseOptions(chain.ResponseOptions())
	return chain, opts, e
}
