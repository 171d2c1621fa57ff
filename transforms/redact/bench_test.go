package redact_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"regexp"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/olkit/olkit/transforms"
	"github.com/olkit/olkit/transforms/redact/internal/corpus"
	"github.com/olkit/olkit/transforms/redact/internal/detect"
)

// benchSize is the corpus each benchmark iteration reads.
const benchSize = 16 << 20

var (
	benchOnce  sync.Once
	benchDoc   corpus.Doc
	benchClean corpus.Doc
)

func benchCorpus(b *testing.B) (corpus.Doc, corpus.Doc) {
	benchOnce.Do(func() {
		benchDoc = corpus.New(1).Generate(benchSize)
		g := corpus.New(2)
		g.PIIRate = 0
		benchClean = g.Generate(benchSize)
	})
	return benchDoc, benchClean
}

// piiShare reports the share of the corpus's bytes that are PII, with and
// without the log timestamps (DATE_TIME).
func piiShare(doc corpus.Doc) (all, noDates float64) {
	var n, nd int
	for _, l := range doc.Labels {
		n += l.End - l.Start
		if l.Type != detect.DATE_TIME {
			nd += l.End - l.Start
		}
	}
	return 100 * float64(n) / float64(len(doc.Data)), 100 * float64(nd) / float64(len(doc.Data))
}

func runChain(b *testing.B, c *transforms.Chain, data []byte) {
	obj := &transforms.Object{Header: http.Header{}, Size: int64(len(data))}
	rc, err := c.Apply(context.Background(), obj, bytes.NewReader(data))
	if err != nil {
		b.Fatal(err)
	}
	if _, err := io.Copy(io.Discard, rc); err != nil {
		b.Fatal(err)
	}
	rc.Close()
}

// BenchmarkRedact streams the corpus through the redact transform, as the
// chain runs it, reporting MB/s of input.
func BenchmarkRedact(b *testing.B) {
	doc, _ := benchCorpus(b)
	all, noDates := piiShare(doc)
	for _, tc := range []struct{ name, opts string }{
		{"mask-all", ""},
		{"replace-all", `{"mask_mode":"REPLACE_WITH_PII_ENTITY_TYPE"}`},
		{"mask-seven", `{"pii_entity_types":["EMAIL","PHONE","SSN","CREDIT_DEBIT_NUMBER","IP_ADDRESS","AWS_ACCESS_KEY","URL"]}`},
	} {
		b.Run(tc.name, func(b *testing.B) {
			c := chain(b, "redact", tc.opts)
			b.SetBytes(int64(len(doc.Data)))
			b.ReportAllocs()
			cpu := cpuTime()
			for b.Loop() {
				runChain(b, c, doc.Data)
			}
			reportCPU(b, cpu, len(doc.Data))
			b.ReportMetric(all, "pii-%bytes")
			b.ReportMetric(noDates, "pii-%bytes-no-dates")
		})
	}
}

// BenchmarkDetect is the scanner alone on the whole corpus in memory.
func BenchmarkDetect(b *testing.B) {
	doc, _ := benchCorpus(b)
	b.SetBytes(int64(len(doc.Data)))
	var ms []detect.Match
	cpu := cpuTime()
	for b.Loop() {
		ms = detect.New(allTypes).Scan(doc.Data, true, ms[:0])
	}
	reportCPU(b, cpu, len(doc.Data))
	b.ReportMetric(float64(len(ms)), "matches")
}

// BenchmarkAccessControl spools and scans a corpus without PII (the case
// that reads everything), then reads the spooled object back.
func BenchmarkAccessControl(b *testing.B) {
	_, clean := benchCorpus(b)
	c := chain(b, "pii-access-control", `{"pii_entity_types":["EMAIL","PHONE","SSN","CREDIT_DEBIT_NUMBER","IP_ADDRESS","AWS_ACCESS_KEY","AWS_SECRET_KEY","INTERNATIONAL_BANK_ACCOUNT_NUMBER","URL"]}`)
	b.SetBytes(int64(len(clean.Data)))
	cpu := cpuTime()
	for b.Loop() {
		runChain(b, c, clean.Data)
	}
	reportCPU(b, cpu, len(clean.Data))
}

// cpuTime is the CPU time the process has used. On this shared machine
// the wall-clock MB/s of a benchmark moves by a factor of several with
// the other jobs' load; MB per CPU-second moves much less.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// reportCPU reports the MB of input per CPU-second (every thread of the
// process: the garbage collector's work counts) since from.
func reportCPU(b *testing.B, from time.Duration, size int) {
	if d := cpuTime() - from; d > 0 {
		b.ReportMetric(float64(size)*float64(b.N)/d.Seconds()/1e6, "MB/cpu-s")
	}
}

// sevenPatterns is the naive baseline: seven PII patterns in one
// alternation, as one would write them with Go's regexp.
var sevenPatterns = regexp.MustCompile(`[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}` + // EMAIL
	`|\(?\b[2-9][0-9]{2}\)?[-. ]?[2-9][0-9]{2}[-. ][0-9]{4}\b` + // PHONE
	`|\b[0-9]{3}-[0-9]{2}-[0-9]{4}\b` + // SSN
	`|\b(?:[0-9]{4}[ -]?){3}[0-9]{1,4}\b` + // CREDIT_DEBIT_NUMBER
	`|\b(?:[0-9]{1,3}\.){3}[0-9]{1,3}\b` + // IP_ADDRESS
	`|\b(?:AKIA|ASIA)[A-Z0-9]{16}\b` + // AWS_ACCESS_KEY
	`|https?://[^\s"'<>]+`) // URL

// BenchmarkRegexpBaseline finds the seven patterns with Go's regexp over
// the same corpus, held in memory (its best case: no streaming).
func BenchmarkRegexpBaseline(b *testing.B) {
	doc, _ := benchCorpus(b)
	b.SetBytes(int64(len(doc.Data)))
	var n int
	for b.Loop() {
		n = len(sevenPatterns.FindAllIndex(doc.Data, -1))
	}
	b.ReportMetric(float64(n), "matches")
}
