// Package objectlambda adds S3 Object Lambda access points to the
// emulator: it resolves requests that name an access point (by alias or
// by ARN), builds the event S3 sends, runs the function, and serves the
// WriteGetObjectResponse endpoint that streams the function's answer to
// the waiting client, exactly as S3 does, so that what passes locally
// works on AWS.
package objectlambda

import (
	"crypto/sha256"
	"encoding/base32"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"
)

// The features and actions an access point may allow.
var (
	Features = []string{"GetObject-Range", "GetObject-PartNumber", "HeadObject-Range", "HeadObject-PartNumber"}
	Actions  = []string{"GetObject", "HeadObject", "ListObjects", "ListObjectsV2"}
)

// AccessPoint is an Object Lambda access point.
type AccessPoint struct {
	Name string `json:"name"`
	// Bucket is the supporting bucket (an access point ARN naming a bucket
	// is accepted wherever a bucket is: the emulator's access points are
	// its buckets).
	Bucket string `json:"bucket"`
	// Function names the function that transforms (see the Config's
	// functions); a Lambda function ARN's last part is its name.
	Function string `json:"function"`
	// Payload is handed to the function with every request.
	Payload         string    `json:"payload"`
	AllowedFeatures []string  `json:"allowedFeatures"`
	Actions         []string  `json:"actions"`
	Created         time.Time `json:"-"`
}

// Transforms reports whether action goes through the function.
func (ap *AccessPoint) Transforms(action string) bool { return slices.Contains(ap.Actions, action) }

// Allows reports whether feature is allowed.
func (ap *AccessPoint) Allows(feature string) bool {
	return slices.Contains(ap.AllowedFeatures, feature)
}

// Alias is the access point's alias, "<name>-<metadata>--ol-s3": stable
// for the same account and name, across restarts, as on AWS.
func Alias(account, name string) string {
	sum := sha256.Sum256([]byte(account + "/" + name))
	meta := strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(sum[:]))[:26]
	return name + "-" + meta + "--ol-s3"
}

// ARN is the access point's ARN.
func ARN(region, account, name string) string {
	return fmt.Sprintf("arn:aws:s3-object-lambda:%s:%s:accesspoint/%s", region, account, name)
}

// Check refuses an access point S3 would refuse.
func (ap *AccessPoint) Check() error {
	if !validName(ap.Name) {
		return fmt.Errorf("access point name %q: 3 to 45 lower-case letters, digits and hyphens, starting and ending with a letter or digit", ap.Name)
	}
	if ap.Bucket == "" {
		return fmt.Errorf("access point %s: no supporting bucket", ap.Name)
	}
	if ap.Function == "" {
		return fmt.Errorf("access point %s: no function", ap.Name)
	}
	for _, f := range ap.AllowedFeatures {
		if !slices.Contains(Features, f) {
			return fmt.Errorf("access point %s: unknown feature %q (one of %s)", ap.Name, f, strings.Join(Features, ", "))
		}
	}
	if len(ap.Actions) == 0 {
		return fmt.Errorf("access point %s: no transformed action", ap.Name)
	}
	for _, a := range ap.Actions {
		if !slices.Contains(Actions, a) {
			return fmt.Errorf("access point %s: unknown action %q (one of %s)", ap.Name, a, strings.Join(Actions, ", "))
		}
	}
	return nil
}

func validName(n string) bool {
	if len(n) < 3 || len(n) > 45 || n[0] == '-' || n[len(n)-1] == '-' {
		return false
	}
	for _, c := range n {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// registry holds the access points by name and by alias.
type registry struct {
	account string
	mu      sync.RWMutex
	byName  map[string]*AccessPoint
}

func (r *registry) put(ap *AccessPoint) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if ap.Created.IsZero() {
		ap.Created = time.Now().UTC()
	}
	r.byName[ap.Name] = ap
}

func (r *registry) get(name string) (*AccessPoint, bool) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	ap, ok := r.byName[name]
	return ap, ok
}

func (r *registry) delete(name string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	_, ok := r.byName[name]
	delete(r.byName, name)
	return ok
}

// byAlias finds the access point whose alias is alias.
func (r *registry) byAlias(alias string) (*AccessPoint, bool) {
	name, ok := strings.CutSuffix(alias, "--ol-s3")
	if !ok {
		return nil, false
	}
	i := strings.LastIndexByte(name, '-')
	if i < 0 {
		return nil, false
	}
	ap, ok := r.get(name[:i])
	if !ok || Alias(r.account, ap.Name) != alias {
		return nil, false
	}
	return ap, true
}

// list returns the access points sorted by name.
func (r *registry) list() []*AccessPoint {
	r.mu.RLock()
	defer r.mu.RUnlock()
	out := make([]*AccessPoint, 0, len(r.byName))
	for _, ap := range r.byName {
		out = append(out, ap)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}
