package detect_test

import (
	"bufio"
	"fmt"
	"os"
	"strings"
	"testing"
)

func TestZZProbe(t *testing.T) {
	f := os.Getenv("PROBE")
	if f == "" {
		t.Skip()
	}
	fh, _ := os.Open(f)
	sc := bufio.NewScanner(fh)
	for sc.Scan() {
		s := strings.ReplaceAll(sc.Text(), `\n`, "\n")
		fmt.Printf("%-60q -> %v\n", s, find(all, s))
	}
}
