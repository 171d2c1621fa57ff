package redact

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/olkit/olkit/transforms/redact/internal/detect"
)

// Defaults, as AWS's Comprehend functions have them, plus the spool bound.
const (
	DefaultMaskCharacter       = "*"
	DefaultConfidenceThreshold = 0.5
	DefaultMaxSpoolBytes       = 512 << 20
)

// Mask modes.
const (
	Mask                     = "MASK"
	ReplaceWithPIIEntityType = "REPLACE_WITH_PII_ENTITY_TYPE"
)

// Unsupported file handling.
const (
	Pass = "PASS"
	Fail = "FAIL"
)

// Options are both transforms' options, under the names AWS's functions
// read from the access point payload.
type Options struct {
	PIIEntityTypes          entityList `json:"pii_entity_types"`
	MaskMode                string     `json:"mask_mode"`
	MaskCharacter           string     `json:"mask_character"`
	ConfidenceThreshold     threshold  `json:"confidence_threshold"`
	LanguageCode            string     `json:"language_code"`
	UnsupportedFileHandling string     `json:"unsupported_file_handling"`
	// MaxSpoolBytes bounds the temporary file pii-access-control holds the
	// object in while it decides (olkit's own option).
	MaxSpoolBytes int64 `json:"max_spool_bytes"`
	// Detector is olkit's own option: offline (default), comprehend or
	// comprehend-all (see the package comment).
	Detector string `json:"detector"`

	types  detect.Set
	client ComprehendAPI
}

// entityList is pii_entity_types: a JSON list, or a comma-separated string
// as AWS's PII_ENTITY_TYPES environment variable has it.
type entityList []string

func (l *entityList) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		*l = strings.Split(s, ",")
		return nil
	}
	var list []string
	if err := json.Unmarshal(b, &list); err != nil {
		return fmt.Errorf("option pii_entity_types: want a list of entity type names, got %s", b)
	}
	*l = list
	return nil
}

// threshold is confidence_threshold: a number, or a numeric string (AWS's
// function runs float() on whatever it is given).
type threshold struct {
	v   float64
	set bool
}

func (t *threshold) UnmarshalJSON(b []byte) error {
	var f float64
	if err := json.Unmarshal(b, &f); err != nil {
		var s string
		if json.Unmarshal(b, &s) != nil {
			return fmt.Errorf("option confidence_threshold: want a number between 0.5 and 1.0, got %s", b)
		}
		if f, err = strconv.ParseFloat(strings.TrimSpace(s), 64); err != nil {
			return fmt.Errorf("option confidence_threshold: want a number between 0.5 and 1.0, got %s", b)
		}
	}
	t.v, t.set = f, true
	return nil
}

// ParseOptions reads and checks the options, filling in defaults. forAccess
// says which transform they are for: max_spool_bytes belongs to
// pii-access-control only; mask_mode and mask_character are accepted by
// both, so one AWS payload serves either.
func ParseOptions(raw json.RawMessage, forAccess bool) (Options, error) {
	var o Options
	if len(raw) > 0 {
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&o); err != nil {
			return o, fmt.Errorf("options: %w", err)
		}
		if dec.More() {
			return o, fmt.Errorf("options: data after the JSON object")
		}
	}
	if len(o.PIIEntityTypes) == 0 {
		o.PIIEntityTypes = entityList{"ALL"}
	}
	for _, name := range o.PIIEntityTypes {
		name = strings.TrimSpace(name)
		if name == "ALL" {
			o.types |= detect.All
			continue
		}
		e, ok := detect.ParseEntity(name)
		if !ok {
			return o, fmt.Errorf("option pii_entity_types: %q is not a Comprehend PII entity type (one of ALL, %s)", name, detect.All)
		}
		o.types |= detect.SetOf(e)
	}
	switch o.MaskMode {
	case "":
		o.MaskMode = Mask
	case Mask, ReplaceWithPIIEntityType:
	default:
		return o, fmt.Errorf("option mask_mode: %q is neither %s nor %s", o.MaskMode, Mask, ReplaceWithPIIEntityType)
	}
	if o.MaskCharacter == "" {
		o.MaskCharacter = DefaultMaskCharacter
	}
	if r, n := utf8.DecodeRuneInString(o.MaskCharacter); n != len(o.MaskCharacter) || r == utf8.RuneError || !unicode.IsGraphic(r) || unicode.IsSpace(r) {
		return o, fmt.Errorf("option mask_character: want one visible character, got %q", o.MaskCharacter)
	}
	if !o.ConfidenceThreshold.set {
		o.ConfidenceThreshold = threshold{v: DefaultConfidenceThreshold, set: true}
	}
	if t := o.ConfidenceThreshold.v; t < 0.5 || t > 1 {
		return o, fmt.Errorf("option confidence_threshold: %v is not between 0.5 and 1.0", t)
	}
	switch o.LanguageCode {
	case "":
		o.LanguageCode = "en"
	case "en":
	default:
		return o, fmt.Errorf("option language_code: %q is not supported (only \"en\")", o.LanguageCode)
	}
	switch strings.ToUpper(o.UnsupportedFileHandling) {
	case "":
		o.UnsupportedFileHandling = Fail
	case Pass, Fail:
		o.UnsupportedFileHandling = strings.ToUpper(o.UnsupportedFileHandling)
	default:
		return o, fmt.Errorf("option unsupported_file_handling: %q is neither %s nor %s", o.UnsupportedFileHandling, Pass, Fail)
	}
	switch o.Detector {
	case "":
		o.Detector = Offline
	case Offline, Comprehend, ComprehendAll:
	default:
		return o, fmt.Errorf("option detector: %q is not one of %s, %s, %s", o.Detector, Offline, Comprehend, ComprehendAll)
	}
	switch {
	case o.MaxSpoolBytes != 0 && !forAccess:
		return o, fmt.Errorf("option max_spool_bytes: only pii-access-control spools; redact streams")
	case o.MaxSpoolBytes < 0:
		return o, fmt.Errorf("option max_spool_bytes: %d is negative", o.MaxSpoolBytes)
	case o.MaxSpoolBytes == 0:
		o.MaxSpoolBytes = DefaultMaxSpoolBytes
	}
	return o, nil
}

// Types returns the entity types the options select.
func (o Options) Types() detect.Set { return o.types }

// Threshold returns the confidence threshold.
func (o Options) Threshold() float64 { return o.ConfidenceThreshold.v }

// detectConfig is the offline scanner's part: every type but those left
// to Comprehend.
func (o Options) detectConfig() detect.Config {
	types := o.types
	if o.Detector == ComprehendAll {
		types = 0
	}
	return detect.Config{Types: types, Threshold: float32(o.ConfidenceThreshold.v)}
}
