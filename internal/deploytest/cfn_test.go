package deploytest

import (
	"encoding/json"
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/olkit/olkit/internal/realclients"
)

// The template as CloudFormation receives it: translated by the SAM
// translator (the one cfn-lint and `sam deploy` use), conditions
// unresolved. One translation serves every test of the package.
var translated struct {
	once sync.Once
	tmpl map[string]any
	err  error
}

func translate(t *testing.T) map[string]any {
	t.Helper()
	translated.once.Do(func() {
		cmd := exec.Command("python3", filepath.Join("testdata", "sam_translate.py"), filepath.Join(root, "template.yaml"))
		var stderr strings.Builder
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			translated.err = fmt.Errorf("the SAM translator failed: %v: %s", err, stderr.String())
			return
		}
		translated.err = json.Unmarshal(out, &translated.tmpl)
	})
	if translated.err != nil {
		// Skips (or fails, under OLKIT_REQUIRE_CLIENTS=1) without the
		// translator; a translator that is there and fails is a failure.
		realclients.Need(t, "python3", "-c", "import samtranslator, cfnlint")
	}
	require.NoError(t, translated.err)
	return translated.tmpl
}

// stack is what CloudFormation would create for one set of parameter
// values: the resources and outputs whose conditions hold, Fn::If and
// AWS::NoValue resolved.
type stack struct {
	params     map[string]string
	conditions map[string]bool
	Resources  map[string]map[string]any
	Outputs    map[string]map[string]any
	// Rejected names the rules whose assertions fail: CloudFormation
	// refuses such parameters before it creates anything.
	Rejected []string
}

// deploy evaluates the translated template for overrides of the
// parameters' defaults, as CloudFormation would.
func deploy(t *testing.T, overrides map[string]string) *stack {
	t.Helper()
	tmpl := translate(t)
	s := &stack{params: map[string]string{}, conditions: map[string]bool{},
		Resources: map[string]map[string]any{}, Outputs: map[string]map[string]any{}}
	for name, p := range obj(tmpl["Parameters"]) {
		if d, ok := obj(p)["Default"]; ok {
			s.params[name] = fmt.Sprint(d)
		}
	}
	for k, v := range overrides {
		_, known := obj(tmpl["Parameters"])[k]
		require.True(t, known, "parameter %s exists", k)
		s.params[k] = v
	}
	conds := obj(tmpl["Conditions"])
	for name := range conds {
		s.conditions[name] = s.truth(t, conds, conds[name])
	}
	for name, rule := range obj(tmpl["Rules"]) {
		r := obj(rule)
		if rc, ok := r["RuleCondition"]; ok && !s.truth(t, conds, rc) {
			continue
		}
		for _, a := range list(r["Assertions"]) {
			if !s.truth(t, conds, obj(a)["Assert"]) {
				s.Rejected = append(s.Rejected, name)
			}
		}
	}
	for kind, into := range map[string]map[string]map[string]any{"Resources": s.Resources, "Outputs": s.Outputs} {
		for name, v := range obj(tmpl[kind]) {
			r := obj(v)
			if c, ok := r["Condition"].(string); ok && !s.conditions[c] {
				continue
			}
			into[name] = obj(s.resolve(r))
		}
	}
	return s
}

// truth evaluates a condition expression.
func (s *stack) truth(t *testing.T, conds map[string]any, expr any) bool {
	t.Helper()
	e := obj(expr)
	require.Len(t, e, 1, "a condition function: %v", expr)
	for fn, arg := range e {
		switch fn {
		case "Condition":
			return s.truth(t, conds, conds[arg.(string)])
		case "Fn::Equals":
			a := list(arg)
			return s.value(t, a[0]) == s.value(t, a[1])
		case "Fn::Not":
			return !s.truth(t, conds, list(arg)[0])
		case "Fn::And", "Fn::Or":
			all, any_ := true, false
			for _, c := range list(arg) {
				v := s.truth(t, conds, c)
				all, any_ = all && v, any_ || v
			}
			return fn == "Fn::And" && all || fn == "Fn::Or" && any_
		}
		t.Fatalf("condition function %s is not evaluated here", fn)
	}
	return false
}

// value is a literal or a parameter's value.
func (s *stack) value(t *testing.T, v any) string {
	t.Helper()
	if ref, ok := obj(v)["Ref"].(string); ok {
		p, ok := s.params[ref]
		require.True(t, ok, "parameter %s has a value", ref)
		return p
	}
	return fmt.Sprint(v)
}

// noValue stands for AWS::NoValue until the enclosing map or list drops it.
type noValueT struct{}

var noValue noValueT

// resolve picks Fn::If branches and drops AWS::NoValue.
func (s *stack) resolve(v any) any {
	switch x := v.(type) {
	case map[string]any:
		if ref, ok := x["Ref"]; ok && ref == "AWS::NoValue" && len(x) == 1 {
			return noValue
		}
		if args, ok := x["Fn::If"].([]any); ok && len(x) == 1 {
			if s.conditions[args[0].(string)] {
				return s.resolve(args[1])
			}
			return s.resolve(args[2])
		}
		out := map[string]any{}
		for k, e := range x {
			if r := s.resolve(e); r != noValue {
				out[k] = r
			}
		}
		return out
	case []any:
		out := []any{}
		for _, e := range x {
			if r := s.resolve(e); r != noValue {
				out = append(out, r)
			}
		}
		return out
	}
	return v
}

// types lists the stack's resources by type.
func (s *stack) types() map[string]string {
	out := map[string]string{}
	for name, r := range s.Resources {
		out[name] = r["Type"].(string)
	}
	return out
}

func (s *stack) ofType(typ string) map[string]map[string]any {
	out := map[string]map[string]any{}
	for name, r := range s.Resources {
		if r["Type"] == typ {
			out[name] = r
		}
	}
	return out
}

func obj(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}

func list(v any) []any {
	l, _ := v.([]any)
	return l
}

// at walks maps by key and lists by index ("0").
func at(v any, path ...string) any {
	for _, p := range path {
		switch x := v.(type) {
		case map[string]any:
			v = x[p]
		case []any:
			var i int
			if _, err := fmt.Sscan(p, &i); err != nil || i >= len(x) {
				return nil
			}
			v = x[i]
		default:
			return nil
		}
	}
	return v
}

// strs is a list of strings, or one string as a list.
func strs(v any) []string {
	if s, ok := v.(string); ok {
		return []string{s}
	}
	var out []string
	for _, e := range list(v) {
		out = append(out, fmt.Sprint(e))
	}
	return out
}

// eval computes a string-valued expression with the intrinsic functions
// the template uses; attrs gives what only AWS knows at deploy time
// ("AWS::StackId", "Res.Attr" of Fn::GetAtt, a resource's Ref by name).
func (s *stack) eval(t *testing.T, v any, attrs map[string]string) string {
	t.Helper()
	out := s.evalAny(t, v, attrs)
	str, ok := out.(string)
	require.True(t, ok, "%v is a string, not %v", v, out)
	return str
}

func (s *stack) evalAny(t *testing.T, v any, attrs map[string]string) any {
	t.Helper()
	lookup := func(name string) string {
		if p, ok := s.params[name]; ok {
			return p
		}
		a, ok := attrs[name]
		require.True(t, ok, "a value for %s", name)
		return a
	}
	m, isMap := v.(map[string]any)
	if !isMap {
		return v
	}
	require.Len(t, m, 1, "one intrinsic function: %v", v)
	for fn, arg := range m {
		switch fn {
		case "Ref":
			return lookup(arg.(string))
		case "Fn::GetAtt":
			return lookup(strings.Join(strs(arg), "."))
		case "Fn::Join":
			a := list(arg)
			var parts []string
			for _, p := range list(a[1]) {
				parts = append(parts, s.eval(t, p, attrs))
			}
			return strings.Join(parts, a[0].(string))
		case "Fn::Split":
			a := list(arg)
			var out []any
			for _, p := range strings.Split(s.eval(t, a[1], attrs), a[0].(string)) {
				out = append(out, p)
			}
			return out
		case "Fn::Select":
			a := list(arg)
			var i int
			_, err := fmt.Sscan(fmt.Sprint(a[0]), &i)
			require.NoError(t, err)
			l := list(s.evalAny(t, a[1], attrs))
			require.Less(t, i, len(l), "Fn::Select index in range")
			return s.evalAny(t, l[i], attrs)
		case "Fn::Sub":
			tmpl, vars := "", map[string]any{}
			if str, ok := arg.(string); ok {
				tmpl = str
			} else {
				tmpl, vars = list(arg)[0].(string), obj(list(arg)[1])
			}
			out := tmpl
			for {
				i := strings.Index(out, "${")
				if i < 0 {
					return out
				}
				j := strings.Index(out[i:], "}")
				require.Positive(t, j, "a closed ${} in %s", tmpl)
				name := out[i+2 : i+j]
				val := ""
				if e, ok := vars[name]; ok {
					val = s.eval(t, e, attrs)
				} else {
					val = lookup(name)
				}
				out = out[:i] + val + out[i+j+1:]
			}
		}
		t.Fatalf("intrinsic function %s is not evaluated here", fn)
	}
	return nil
}
