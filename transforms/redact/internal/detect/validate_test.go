package detect_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/olkit/olkit/transforms/redact/internal/detect"
)

func TestValidators(t *testing.T) {
	for _, tc := range []struct {
		name  string
		check func([]byte) bool
		valid []string
		bad   []string
	}{
		{"Luhn", detect.Luhn, []string{"4111111111111111", "4012888888881881", "378282246310005", "5555555555554444", "6011111111111117", "3530111333300000", "30569309025904", "130692544"},
			[]string{"4111111111111112", "378282246310006", "", "1"}},
		{"Card", detect.Card, []string{"4111111111111111", "378282246310005", "5105105105105100", "6011000990139424", "3566002020360505", "2221000000000009", "4222222222222"},
			[]string{"1234567812345670" /* Luhn ok, no issuer */, "4111111111111112", "37828224631000" /* Amex too short */, "5555555555554"}},
		{"ABA", detect.ABA, []string{"021000021", "011000015", "121000358", "026009593", "322271627"},
			[]string{"021000022", "000000000", "991000021" /* prefix 99 */, "12100035"}},
		{"SSN", detect.ValidSSN, []string{"536221234", "001010001", "665999999", "899991111"},
			[]string{"000123456", "666123456", "900123456", "123004567", "123450000", "078051120", "219099999"}},
		{"ITIN", detect.ITIN, []string{"912701234", "999991234", "900501234", "912941234"},
			[]string{"912931234", "912491234", "812701234", "912661234"}},
		{"SIN", detect.SIN, []string{"130692544"},
			[]string{"130692545", "046454286" /* starts with 0 */, "812345678"}},
		{"NHS", detect.NHS, []string{"9434765919", "4010232137"},
			[]string{"9434765918", "1111111111", "943476591"}},
		{"Verhoeff", detect.Verhoeff, []string{"2363", "123451"}, []string{"2364", "123452", ""}},
		{"Aadhaar", detect.Aadhaar, []string{"234567890124"}, []string{"234567890123", "134567890124" /* starts with 1 */, "222222222222"}},
		{"IBAN", detect.IBAN, []string{"DE89370400440532013000", "GB82WEST12345698765432", "FR1420041010050500013M02606", "NL91ABNA0417164300", "CH9300762011623852957", "NO9386011117947"},
			[]string{"DE89370400440532013001", "GB82WEST1234569876543", "XX89370400440532013000", "de89370400440532013000"}},
		{"VIN", detect.VIN, []string{"1HGCM82633A004352", "1M8GDM9AXKP042788", "11111111111111111"},
			[]string{"1HGCM82633A004353", "1HGCM82633A00435", "1HGCM82633A00435I" /* I never used */}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, v := range tc.valid {
				assert.True(t, tc.check([]byte(v)), "%s should be valid", v)
			}
			for _, v := range tc.bad {
				assert.False(t, tc.check([]byte(v)), "%s should be invalid", v)
			}
		})
	}
}

func TestNINOPrefixAndCountry(t *testing.T) {
	for _, p := range []string{"AB", "CE", "JG", "ZY", "OA"} {
		assert.True(t, detect.NINOPrefix(p[0], p[1]), p)
	}
	for _, p := range []string{"QQ", "GB", "BG", "NK", "TN", "ZZ", "DA", "AO", "AV", "ab"} {
		assert.False(t, detect.NINOPrefix(p[0], p[1]), p)
	}
	assert.True(t, detect.Country('D', 'E'))
	assert.True(t, detect.Country('U', 'S'))
	assert.False(t, detect.Country('X', 'X'))
	assert.Equal(t, 22, detect.IBANLength([]byte("DE")))
	assert.Equal(t, 0, detect.IBANLength([]byte("US")))
}

func TestEntityNames(t *testing.T) {
	assert.Len(t, detect.Entities(), 36, "Comprehend has 36 PII entity types")
	for _, e := range detect.Entities() {
		got, ok := detect.ParseEntity(e.String())
		assert.True(t, ok)
		assert.Equal(t, e, got)
	}
	_, ok := detect.ParseEntity("ssn")
	assert.False(t, ok, "names are case sensitive, as Comprehend's are")
	assert.Len(t, detect.Detectable.Slice(), 19)
}
