package store

import (
	"bytes"
	"testing"
)

// FuzzScanJournal feeds the journal parser a valid journal followed by
// arbitrary bytes: it must not panic, must never return an end beyond the
// input, and must either fail or keep every entry of the valid part, in
// order (a tail can be cut as torn, never what came before it).
func FuzzScanJournal(f *testing.F) {
	var valid []byte
	var want []string
	for i, id := range []string{recordID("a"), recordID("b"), newID()} {
		op := byte(opPut)
		if i == 2 {
			op = opBlob
		}
		valid = append(valid, encodeEntry(op, kindObject, id, []byte(`{"Key":"k"}`))...)
		want = append(want, id)
	}
	f.Add([]byte{})
	f.Add([]byte{0, 0, 0, 0, 0, 0, 0, 0})
	f.Add(encodeEntry(opPut, kindBucket, recordID("x"), []byte("{}"))[:13])
	f.Add([]byte{0xff, 0xff, 0xff, 0xff, 1, 2, 3, 4})
	f.Fuzz(func(t *testing.T, tail []byte) {
		journal := append(bytes.Clone(valid), tail...)
		var got []string
		end, err := scanJournal(bytes.NewReader(journal), int64(len(journal)), func(e entry) {
			if e.dataOff+int64(len(e.data)) > int64(len(journal)) {
				t.Fatalf("entry %s reaches past the journal", e.id)
			}
			got = append(got, e.id)
		})
		if end > int64(len(journal)) {
			t.Fatalf("end %d past the journal's %d bytes", end, len(journal))
		}
		if err != nil {
			return
		}
		if end < int64(len(valid)) || len(got) < len(want) {
			t.Fatalf("kept %d bytes and %d entries of a valid %d bytes and %d entries", end, len(got), len(valid), len(want))
		}
		for i := range want {
			if got[i] != want[i] {
				t.Fatalf("entry %d is %s, want %s", i, got[i], want[i])
			}
		}
	})
}
