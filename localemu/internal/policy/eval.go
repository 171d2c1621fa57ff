package policy

import "strings"

// Principal is who makes a request.
type Principal struct {
	Anonymous   bool
	Account     string // the account the key belongs to
	ARN         string // arn:aws:iam::<account>:user/<access key>
	CanonicalID string
}

// Request is what a decision is about.
type Request struct {
	Principal Principal
	Action    string // e.g. s3:GetObject
	Resource  string // arn:aws:s3:::bucket or arn:aws:s3:::bucket/key
	// Context holds the condition keys, lower case, e.g.
	// "aws:securetransport": {"false"}.
	Context map[string][]string
}

// Decision is a policy's answer.
type Decision int

// The decisions, as IAM names them.
const (
	NoMatch Decision = iota // no statement applies: other grants decide
	Allow
	Deny // explicit deny: wins over every allow
)

func (d Decision) String() string { return [...]string{"NoMatch", "Allow", "Deny"}[d] }

// Evaluate decides req: an explicit Deny wins over any Allow.
func (p *Policy) Evaluate(req Request) Decision {
	if p == nil {
		return NoMatch
	}
	d := NoMatch
	for _, st := range p.Statements {
		if !st.applies(req) {
			continue
		}
		if st.Effect == "Deny" {
			return Deny
		}
		d = Allow
	}
	return d
}

func (st Statement) applies(req Request) bool {
	if !st.principalMatches(req.Principal) {
		return false
	}
	actionHit := anyMatch(st.Actions, func(a string) bool { return Wildcard(strings.ToLower(a), strings.ToLower(req.Action)) })
	if actionHit == st.NotAction {
		return false
	}
	resHit := anyMatch(st.Resources, func(r string) bool { return Wildcard(r, req.Resource) })
	if resHit == st.NotResource {
		return false
	}
	for _, c := range st.Conditions {
		if !c.holds(req.Context) {
			return false
		}
	}
	return true
}

func (st Statement) principalMatches(p Principal) bool {
	return anyMatch(st.Principals, func(want string) bool {
		switch {
		case want == "*":
			return true
		case p.Anonymous:
			return false
		case isAccountID(want):
			return want == p.Account
		case strings.HasPrefix(want, "canonical:"):
			return want == "canonical:"+p.CanonicalID
		case want == "arn:aws:iam::"+p.Account+":root":
			return true
		}
		return want == p.ARN
	})
}

func anyMatch(list []string, fn func(string) bool) bool {
	for _, s := range list {
		if fn(s) {
			return true
		}
	}
	return false
}
