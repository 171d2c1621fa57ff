package upper_test

import (
	"bytes"
	"testing"

	"github.com/olkit/olkit/transforms/transformtest"

	_ "github.com/olkit/olkit/examples/upper"
)

func TestContract(t *testing.T) {
	transformtest.Run(t, transformtest.Registered("upper", ""), transformtest.Config{
		Inputs: []transformtest.Input{
			{Name: "ascii", Data: []byte("hello, olkit\n"), Want: []byte("HELLO, OLKIT\n")},
			// Multi-byte characters, split by every read size the kit tries,
			// and upper cases of another length (ı is 2 bytes, I is 1).
			{Name: "utf-8", Data: []byte("grüße, ǆ, ı, ünïcödé\n"), Want: []byte("GRÜßE, Ǆ, I, ÜNÏCÖDÉ\n")},
			{Name: "not utf-8", Data: []byte{'a', 0xff, 'b', 0xc3}, Want: []byte{'A', 0xff, 'B', 0xc3}},
			{Name: "long", Data: bytes.Repeat([]byte("zwölf Boxkämpfer jagen Viktor quer über den großen Sylter Deich. "), 500)},
		},
		MaxHeapGrowth: 2 << 20,
	})
}
