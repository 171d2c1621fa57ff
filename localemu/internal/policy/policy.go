// Package policy parses S3 bucket policies and evaluates them for the
// emulator: the common subset real projects use (Effect, Principal,
// Action/NotAction and Resource/NotResource with wildcards, Condition with
// the string, numeric, boolean, IP and Null operators, IfExists and the
// ForAnyValue/ForAllValues qualifiers). What it does not understand it
// refuses at parse time with ErrUnsupported, so that a policy is never
// stored and then silently evaluated wrong.
package policy

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// MaxSize is S3's limit on a bucket policy document.
const MaxSize = 20 << 10

// ErrUnsupported marks a valid policy element the emulator does not
// evaluate (the caller answers 501, not a wrong decision).
var ErrUnsupported = errors.New("not supported by localemu")

// Policy is a parsed bucket policy.
type Policy struct {
	Version    string
	ID         string
	Statements []Statement
}

// Statement is one statement of a policy.
type Statement struct {
	Sid         string
	Effect      string // Allow or Deny
	Principals  []string
	Actions     []string
	NotAction   bool // Actions lists the actions the statement does not cover
	Resources   []string
	NotResource bool
	Conditions  []Condition
}

// Condition is one operator applied to one key.
type Condition struct {
	Op       string // the operator without qualifier or IfExists, e.g. StringLike
	Set      string // "", "ForAnyValue" or "ForAllValues"
	IfExists bool
	Key      string // lower case, e.g. aws:securetransport
	Values   []string
}

// Parse reads and validates a policy document.
func Parse(doc []byte) (*Policy, error) {
	if len(doc) > MaxSize {
		return nil, fmt.Errorf("the policy is %d bytes, more than the %d S3 allows", len(doc), MaxSize)
	}
	var raw struct {
		Version   string
		Id        string
		Statement json.RawMessage
	}
	dec := json.NewDecoder(bytes.NewReader(doc))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&raw); err != nil {
		return nil, fmt.Errorf("the policy is not a JSON policy document: %v", err)
	}
	if raw.Version != "" && raw.Version != "2012-10-17" && raw.Version != "2008-10-17" {
		return nil, fmt.Errorf("policy Version %q is not 2012-10-17 or 2008-10-17", raw.Version)
	}
	var stmts []json.RawMessage
	if err := oneOrMany(raw.Statement, &stmts); err != nil || len(stmts) == 0 {
		return nil, fmt.Errorf("the policy has no Statement")
	}
	p := &Policy{Version: raw.Version, ID: raw.Id}
	for i, s := range stmts {
		st, err := parseStatement(s)
		if err != nil {
			return nil, fmt.Errorf("statement %d: %w", i+1, err)
		}
		p.Statements = append(p.Statements, st)
	}
	return p, nil
}

// oneOrMany decodes a JSON value that is either one item or a list of them.
func oneOrMany[T any](data json.RawMessage, out *[]T) error {
	data = bytes.TrimSpace(data)
	if len(data) == 0 {
		return nil
	}
	if data[0] == '[' {
		return json.Unmarshal(data, out)
	}
	var one T
	if err := json.Unmarshal(data, &one); err != nil {
		return err
	}
	*out = []T{one}
	return nil
}

func parseStatement(data json.RawMessage) (Statement, error) {
	var raw struct {
		Sid                                      string
		Effect                                   string
		Principal, NotPrincipal                  json.RawMessage
		Action, NotAction, Resource, NotResource json.RawMessage
		Condition                                map[string]map[string]json.RawMessage
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&raw); err != nil {
		return Statement{}, fmt.Errorf("not a statement: %v", err)
	}
	st := Statement{Sid: raw.Sid, Effect: raw.Effect}
	if st.Effect != "Allow" && st.Effect != "Deny" {
		return st, fmt.Errorf("Effect %q is neither Allow nor Deny", raw.Effect)
	}
	if raw.NotPrincipal != nil {
		return st, fmt.Errorf("NotPrincipal: %w", ErrUnsupported)
	}
	var err error
	if st.Principals, err = parsePrincipal(raw.Principal); err != nil {
		return st, err
	}
	if st.Actions, st.NotAction, err = pick("Action", raw.Action, raw.NotAction); err != nil {
		return st, err
	}
	for _, a := range st.Actions {
		if a != "*" && !strings.HasPrefix(strings.ToLower(a), "s3:") {
			return st, fmt.Errorf("action %q is not an s3: action", a)
		}
	}
	if st.Resources, st.NotResource, err = pick("Resource", raw.Resource, raw.NotResource); err != nil {
		return st, err
	}
	for _, r := range st.Resources {
		if strings.Contains(r, "${") {
			return st, fmt.Errorf("policy variables (%s): %w", r, ErrUnsupported)
		}
		if r != "*" && !strings.HasPrefix(r, "arn:aws:s3:::") {
			return st, fmt.Errorf("resource %q is not an S3 ARN (arn:aws:s3:::bucket[/key])", r)
		}
	}
	if st.Conditions, err = parseConditions(raw.Condition); err != nil {
		return st, err
	}
	return st, nil
}

// pick reads X or NotX (exactly one of them).
func pick(name string, pos, neg json.RawMessage) ([]string, bool, error) {
	if (pos == nil) == (neg == nil) {
		return nil, false, fmt.Errorf("a statement needs exactly one of %s and Not%s", name, name)
	}
	raw, not := pos, false
	if raw == nil {
		raw, not = neg, true
	}
	var out []string
	if err := oneOrMany(raw, &out); err != nil || len(out) == 0 {
		return nil, false, fmt.Errorf("%s must be a string or a list of strings", name)
	}
	return out, not, nil
}

// parsePrincipal reads "*", {"AWS": ...} or {"CanonicalUser": ...}.
func parsePrincipal(raw json.RawMessage) ([]string, error) {
	if raw == nil {
		return nil, fmt.Errorf("a bucket policy statement needs a Principal")
	}
	var star string
	if json.Unmarshal(raw, &star) == nil {
		if star != "*" {
			return nil, fmt.Errorf("Principal %q: a string Principal must be \"*\"", star)
		}
		return []string{"*"}, nil
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, fmt.Errorf("Principal must be \"*\" or an object")
	}
	var out []string
	for kind, v := range m {
		var ids []string
		if err := oneOrMany(v, &ids); err != nil || len(ids) == 0 {
			return nil, fmt.Errorf("Principal %s must be a string or a list of strings", kind)
		}
		switch kind {
		case "AWS":
			for _, id := range ids {
				if id != "*" && !isAccountID(id) && !strings.HasPrefix(id, "arn:aws:iam::") {
					return nil, fmt.Errorf("Principal AWS %q is not *, an account id or an IAM ARN", id)
				}
				out = append(out, id)
			}
		case "CanonicalUser":
			for _, id := range ids {
				out = append(out, "canonical:"+id)
			}
		case "Service", "Federated":
			return nil, fmt.Errorf("Principal %s: %w", kind, ErrUnsupported)
		default:
			return nil, fmt.Errorf("Principal type %q is not AWS, CanonicalUser, Service or Federated", kind)
		}
	}
	return out, nil
}

func isAccountID(s string) bool {
	if len(s) != 12 {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
