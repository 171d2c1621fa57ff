package s3api

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/olkit/olkit/s3err"
)

// postPolicy is a browser POST upload's policy document: an expiration
// and conditions every form field must meet.
type postPolicy struct {
	Expiration time.Time
	conds      []postCond
	minLen     int64
	maxLen     int64 // -1 without content-length-range
}

// postCond is one condition on a form field (lower case, without "$").
type postCond struct {
	field, op, value string // op "eq" or "starts-with"
}

func policyError(format string, args ...any) error {
	return s3err.New(http.StatusForbidden, "AccessDenied", "Invalid according to Policy: "+format, args...)
}

// parsePostPolicy decodes the base64 policy form field.
func parsePostPolicy(b64 string) (*postPolicy, error) {
	raw, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		return nil, s3err.New(http.StatusBadRequest, "InvalidPolicyDocument", "Invalid Policy: the policy is not base64")
	}
	var doc struct {
		Expiration string
		Conditions []json.RawMessage
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		return nil, s3err.New(http.StatusBadRequest, "InvalidPolicyDocument", "Invalid Policy: Invalid JSON.")
	}
	p := &postPolicy{maxLen: -1}
	if p.Expiration, err = time.Parse(time.RFC3339, doc.Expiration); err != nil {
		return nil, s3err.New(http.StatusBadRequest, "InvalidPolicyDocument", "Invalid Policy: Invalid 'expiration' value: %q", doc.Expiration)
	}
	for _, c := range doc.Conditions {
		if err := p.addCondition(c); err != nil {
			return nil, s3err.New(http.StatusBadRequest, "InvalidPolicyDocument", "Invalid Policy: %v", err)
		}
	}
	return p, nil
}

func (p *postPolicy) addCondition(raw json.RawMessage) error {
	var m map[string]string
	if json.Unmarshal(raw, &m) == nil {
		if len(m) != 1 {
			return fmt.Errorf("an exact-match condition names one field")
		}
		for k, v := range m {
			p.conds = append(p.conds, postCond{field: strings.ToLower(strings.TrimPrefix(k, "$")), op: "eq", value: v})
		}
		return nil
	}
	var list []any
	if err := json.Unmarshal(raw, &list); err != nil || len(list) != 3 {
		return fmt.Errorf("a condition is an object or a three-element list")
	}
	op, _ := list[0].(string)
	switch strings.ToLower(op) {
	case "content-length-range":
		lo, ok1 := list[1].(float64)
		hi, ok2 := list[2].(float64)
		if !ok1 || !ok2 || lo < 0 || hi < lo {
			return fmt.Errorf("content-length-range needs two numbers, min <= max")
		}
		p.minLen, p.maxLen = int64(lo), int64(hi)
		return nil
	case "eq", "starts-with":
		field, ok1 := list[1].(string)
		value, ok2 := list[2].(string)
		if !ok1 || !ok2 || !strings.HasPrefix(field, "$") {
			return fmt.Errorf("%s needs a $field and a string", op)
		}
		p.conds = append(p.conds, postCond{field: strings.ToLower(field[1:]), op: strings.ToLower(op), value: value})
		return nil
	}
	return fmt.Errorf("unknown condition %q", op)
}

// postIgnored are form fields the policy need not name.
func postIgnored(name string) bool {
	switch name {
	case "policy", "x-amz-signature", "signature", "awsaccesskeyid", "file":
		return true
	}
	return strings.HasPrefix(name, "x-ignore-")
}

// check applies the policy to the form fields (lower-case names), with
// the bucket as the "bucket" field, at time now.
func (p *postPolicy) check(fields map[string]string, now time.Time) error {
	if now.After(p.Expiration) {
		return policyError("Policy expired.")
	}
	covered := map[string]bool{}
	for _, c := range p.conds {
		covered[c.field] = true
		got := fields[c.field]
		ok := got == c.value
		if c.op == "starts-with" {
			ok = strings.HasPrefix(got, c.value)
			if c.field == "content-type" { // each of a comma list, as S3 reads it
				ok = true
				for _, v := range strings.Split(got, ",") {
					ok = ok && strings.HasPrefix(strings.TrimSpace(v), c.value)
				}
			}
		}
		if !ok {
			return policyError("Policy Condition failed: [%q, \"$%s\", %q]", c.op, c.field, c.value)
		}
	}
	var extra []string
	for name := range fields {
		if !covered[name] && !postIgnored(name) && name != "bucket" {
			extra = append(extra, name)
		}
	}
	if len(extra) > 0 {
		return policyError("Extra input fields: %s", strings.Join(extra, ", "))
	}
	return nil
}

// lengthOK applies content-length-range to the file's size.
func (p *postPolicy) lengthOK(n int64) error {
	if p == nil || p.maxLen < 0 {
		return nil
	}
	if n < p.minLen {
		return s3err.New(http.StatusBadRequest, "EntityTooSmall", "Your proposed upload is smaller than the minimum allowed size")
	}
	if n > p.maxLen {
		return s3err.New(http.StatusBadRequest, "EntityTooLarge", "Your proposed upload exceeds the maximum allowed size")
	}
	return nil
}
