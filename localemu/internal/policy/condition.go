package policy

import (
	"encoding/json"
	"fmt"
	"net/netip"
	"slices"
	"strconv"
	"strings"
)

// operators are the condition operators evaluated; the bool says whether
// the operator is negated (a missing key then satisfies it).
var operators = map[string]bool{
	"StringEquals": false, "StringNotEquals": true,
	"StringEqualsIgnoreCase": false, "StringNotEqualsIgnoreCase": true,
	"StringLike": false, "StringNotLike": true,
	"NumericEquals": false, "NumericNotEquals": true,
	"NumericLessThan": false, "NumericLessThanEquals": false,
	"NumericGreaterThan": false, "NumericGreaterThanEquals": false,
	"Bool": false, "IpAddress": false, "NotIpAddress": true,
	"ArnEquals": false, "ArnLike": false, "ArnNotEquals": true, "ArnNotLike": true,
	"Null": false,
}

func parseConditions(raw map[string]map[string]json.RawMessage) ([]Condition, error) {
	var out []Condition
	for opName, keys := range raw {
		c := Condition{Op: opName}
		if set, rest, ok := strings.Cut(c.Op, ":"); ok {
			if set != "ForAnyValue" && set != "ForAllValues" {
				return nil, fmt.Errorf("condition qualifier %q is not ForAnyValue or ForAllValues", set)
			}
			c.Set, c.Op = set, rest
		}
		if base, ok := strings.CutSuffix(c.Op, "IfExists"); ok && c.Op != "Null" {
			c.Op, c.IfExists = base, true
		}
		if _, ok := operators[c.Op]; !ok {
			if strings.HasPrefix(c.Op, "Date") || strings.HasPrefix(c.Op, "Binary") {
				return nil, fmt.Errorf("condition operator %s: %w", opName, ErrUnsupported)
			}
			return nil, fmt.Errorf("condition operator %q is not an IAM operator", opName)
		}
		for key, v := range keys {
			var vals []json.RawMessage
			if err := oneOrMany(v, &vals); err != nil || len(vals) == 0 {
				return nil, fmt.Errorf("condition %s %s: values must be a string or a list", opName, key)
			}
			cc := c
			cc.Key = strings.ToLower(key)
			for _, rv := range vals {
				s, err := scalar(rv)
				if err != nil {
					return nil, fmt.Errorf("condition %s %s: %v", opName, key, err)
				}
				if strings.Contains(s, "${") {
					return nil, fmt.Errorf("policy variables (%s): %w", s, ErrUnsupported)
				}
				if err := checkValue(cc.Op, s); err != nil {
					return nil, fmt.Errorf("condition %s %s: %v", opName, key, err)
				}
				cc.Values = append(cc.Values, s)
			}
			out = append(out, cc)
		}
	}
	return out, nil
}

// scalar reads a condition value written as a string, number or boolean.
func scalar(raw json.RawMessage) (string, error) {
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		return "", err
	}
	switch v := v.(type) {
	case string:
		return v, nil
	case bool:
		return strconv.FormatBool(v), nil
	case float64:
		return string(raw), nil
	}
	return "", fmt.Errorf("a value must be a string, number or boolean")
}

func checkValue(op, v string) error {
	switch {
	case strings.HasPrefix(op, "Numeric"):
		if _, err := strconv.ParseFloat(v, 64); err != nil {
			return fmt.Errorf("%q is not a number", v)
		}
	case op == "Bool" || op == "Null":
		if v != "true" && v != "false" {
			return fmt.Errorf("%q is not true or false", v)
		}
	case strings.HasSuffix(op, "IpAddress"):
		if _, err := parsePrefix(v); err != nil {
			return fmt.Errorf("%q is not an IP address or CIDR block", v)
		}
	}
	return nil
}

func parsePrefix(v string) (netip.Prefix, error) {
	if strings.Contains(v, "/") {
		return netip.ParsePrefix(v)
	}
	a, err := netip.ParseAddr(v)
	if err != nil {
		return netip.Prefix{}, err
	}
	return netip.PrefixFrom(a, a.BitLen()), nil
}

// holds evaluates the condition against the request context.
func (c Condition) holds(ctx map[string][]string) bool {
	got, present := ctx[c.Key]
	if c.Op == "Null" {
		return (c.Values[0] == "true") == !present
	}
	negated := operators[c.Op]
	if !present {
		return c.IfExists || negated || c.Set == "ForAllValues"
	}
	switch c.Set {
	case "ForAllValues":
		return !slices.ContainsFunc(got, func(g string) bool { return !c.matchAny(g) })
	case "ForAnyValue":
		return slices.ContainsFunc(got, c.matchAny)
	}
	if negated {
		// A negated operator holds when no request value matches any
		// policy value (the logical NOR AWS documents).
		return !slices.ContainsFunc(got, c.matchAny)
	}
	return slices.ContainsFunc(got, c.matchAny)
}

// matchAny reports whether one request value matches any policy value,
// with the operator's positive sense.
func (c Condition) matchAny(got string) bool {
	return slices.ContainsFunc(c.Values, func(want string) bool { return match(c.Op, want, got) })
}

func match(op, want, got string) bool {
	switch op {
	case "StringEquals", "StringNotEquals", "ArnEquals", "ArnNotEquals":
		return want == got
	case "StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase":
		return strings.EqualFold(want, got)
	case "StringLike", "StringNotLike", "ArnLike", "ArnNotLike":
		return Wildcard(want, got)
	case "Bool":
		return strings.EqualFold(want, got)
	case "IpAddress", "NotIpAddress":
		p, err1 := parsePrefix(want)
		a, err2 := netip.ParseAddr(got)
		return err1 == nil && err2 == nil && p.Contains(a.Unmap())
	}
	w, err1 := strconv.ParseFloat(want, 64)
	g, err2 := strconv.ParseFloat(got, 64)
	if err1 != nil || err2 != nil {
		return false
	}
	switch op {
	case "NumericEquals", "NumericNotEquals":
		return g == w
	case "NumericLessThan":
		return g < w
	case "NumericLessThanEquals":
		return g <= w
	case "NumericGreaterThan":
		return g > w
	case "NumericGreaterThanEquals":
		return g >= w
	}
	return false
}

// Wildcard matches s against pattern, where * is any run of characters
// and ? any one character (IAM's wildcards; no escapes).
func Wildcard(pattern, s string) bool {
	pr, sr := []rune(pattern), []rune(s)
	// Iterative glob with one backtrack point: linear for IAM's patterns.
	p, i := 0, 0
	star, mark := -1, 0
	for i < len(sr) {
		switch {
		case p < len(pr) && pr[p] == '*':
			star, mark = p, i
			p++
		case p < len(pr) && (pr[p] == '?' || pr[p] == sr[i]):
			p++
			i++
		case star >= 0:
			p = star + 1
			mark++
			i = mark
		default:
			return false
		}
	}
	for p < len(pr) && pr[p] == '*' {
		p++
	}
	return p == len(pr)
}
