package transforms

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"
)

// A Description tells a user what a transform does and which options its
// payload entry takes: `olkit transforms -v` prints it and the README's
// list of built-ins is generated from it. It is optional; a transform
// registered without one still works, it is only listed by name.
type Description struct {
	// Summary is one line: what the transform does to an object.
	Summary string
	// Options are the fields of the transform's "options" object, in the
	// order a reader should meet them.
	Options []Option
}

// An Option is one field of a transform's "options" object.
type Option struct {
	// Name is the JSON field, exactly as the payload spells it.
	Name string
	// Type is the JSON type the field takes: "string", "integer",
	// "number", "boolean", "list of strings", ...
	Type string
	// Default is the value the transform uses when the field is absent,
	// written as JSON in a payload ("pass", 8589934592, ["ALL"]), so that
	// writing it out changes nothing; empty when no value means the same as
	// leaving the field out (Doc then says what absence does).
	Default string
	// Doc is the meaning: what the field does and the values it accepts.
	Doc string
}

var (
	descriptionsMu sync.RWMutex
	descriptions   = map[string]Description{}
)

// Describe records how the transform registered (or to be registered)
// under name describes itself. Call it from init beside Register; init
// order within a package does not matter. Like Register it panics on an
// empty name or a second description of the same name.
func Describe(name string, d Description) {
	descriptionsMu.Lock()
	defer descriptionsMu.Unlock()
	if name == "" {
		panic("transforms: Describe with an empty name")
	}
	if _, dup := descriptions[name]; dup {
		panic("transforms: Describe called twice for " + name)
	}
	descriptions[name] = d
}

// Described returns the description of the transform registered under
// name, and whether there is one: a description without a registered
// transform is not reported.
func Described(name string) (Description, bool) {
	registryMu.RLock()
	_, registered := registry[name]
	registryMu.RUnlock()
	if !registered {
		return Description{}, false
	}
	descriptionsMu.RLock()
	defer descriptionsMu.RUnlock()
	d, ok := descriptions[name]
	return d, ok
}

func init() {
	Describe("identity", Description{
		Summary: "hands the object on unchanged; the same as an empty chain, said explicitly",
	})
}

// Defaults is the options object with every described default written
// out, e.g. {"unknown":"pass","maxRatio":1000}: for the transform, the
// same as no options, which is what a test of the description checks.
func (d Description) Defaults() (json.RawMessage, error) {
	m := map[string]json.RawMessage{}
	for _, o := range d.Options {
		if o.Default != "" {
			m[o.Name] = json.RawMessage(o.Default)
		}
	}
	return json.Marshal(m)
}

// CheckDescription reports where the description of the transform
// registered under name disagrees with what its factory accepts, so a
// test keeps the two from drifting apart. options is the struct (or a
// pointer to it) the factory decodes its options into: the described
// option names must be its JSON field names, each once; and each
// described default, given alone, must be accepted by the factory. A
// plugin's test calls it with its own options type:
//
//	if err := transforms.CheckDescription("upper", upper.Options{}); err != nil {
//		t.Error(err)
//	}
func CheckDescription(name string, options any) error {
	d, ok := Described(name)
	if !ok {
		return fmt.Errorf("transform %q has no description (or is not registered)", name)
	}
	factory, err := lookup(name)
	if err != nil {
		return err
	}
	typ := reflect.TypeOf(options)
	for typ != nil && typ.Kind() == reflect.Pointer {
		typ = typ.Elem()
	}
	if typ == nil || typ.Kind() != reflect.Struct {
		return fmt.Errorf("%s: options must be the struct the factory decodes into, not %T", name, options)
	}
	want := jsonFields(typ)
	var errs []error
	seen := map[string]bool{}
	for _, o := range d.Options {
		switch {
		case seen[o.Name]:
			errs = append(errs, fmt.Errorf("%s: option %q is described twice", name, o.Name))
		case !slices.Contains(want, o.Name):
			errs = append(errs, fmt.Errorf("%s: option %q is described but is not a field of %s", name, o.Name, typ))
		}
		seen[o.Name] = true
		if o.Type == "" || o.Doc == "" {
			errs = append(errs, fmt.Errorf("%s: option %q has no type or meaning", name, o.Name))
		}
		if o.Default == "" {
			continue
		}
		raw, err := json.Marshal(map[string]json.RawMessage{o.Name: json.RawMessage(o.Default)})
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: option %q: default %s is not JSON", name, o.Name, o.Default))
			continue
		}
		if _, err := factory(raw); err != nil {
			errs = append(errs, fmt.Errorf("%s: option %q: the factory refuses the described default %s: %v", name, o.Name, o.Default, err))
		}
	}
	for _, f := range want {
		if !seen[f] {
			errs = append(errs, fmt.Errorf("%s: option %q (a field of %s) is not described", name, f, typ))
		}
	}
	return errors.Join(errs...)
}

// jsonFields names the fields encoding/json decodes into a struct type,
// embedded structs' fields included.
func jsonFields(t reflect.Type) []string {
	var names []string
	for _, f := range reflect.VisibleFields(t) {
		if !f.IsExported() || f.Anonymous {
			continue
		}
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, _, _ := strings.Cut(tag, ",")
		if name == "" {
			name = f.Name
		}
		names = append(names, name)
	}
	return names
}
