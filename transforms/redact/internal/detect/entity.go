package detect

import (
	"fmt"
	"strings"
)

// Entity is a PII entity type, named as Amazon Comprehend names it.
type Entity uint8

// The entity types Comprehend knows, in its alphabetical order. The ones
// this package detects offline are listed by Detectable; the others (NAME,
// ADDRESS, ...) need language understanding and are accepted in options so
// that AWS payloads carry over, but never found.
const (
	None Entity = iota
	ADDRESS
	AGE
	AWS_ACCESS_KEY
	AWS_SECRET_KEY
	BANK_ACCOUNT_NUMBER
	BANK_ROUTING
	CA_HEALTH_NUMBER
	CA_SOCIAL_INSURANCE_NUMBER
	CREDIT_DEBIT_CVV
	CREDIT_DEBIT_EXPIRY
	CREDIT_DEBIT_NUMBER
	DATE_TIME
	DRIVER_ID
	EMAIL
	INTERNATIONAL_BANK_ACCOUNT_NUMBER
	IN_AADHAAR
	IN_NREGA
	IN_PERMANENT_ACCOUNT_NUMBER
	IN_VOTER_NUMBER
	IP_ADDRESS
	LICENSE_PLATE
	MAC_ADDRESS
	NAME
	PASSPORT_NUMBER
	PASSWORD
	PHONE
	PIN
	SSN
	SWIFT_CODE
	UK_NATIONAL_HEALTH_SERVICE_NUMBER
	UK_NATIONAL_INSURANCE_NUMBER
	UK_UNIQUE_TAXPAYER_REFERENCE_NUMBER
	URL
	USERNAME
	US_INDIVIDUAL_TAX_IDENTIFICATION_NUMBER
	VEHICLE_IDENTIFICATION_NUMBER
	numEntities
)

var entityNames = [numEntities]string{
	"", "ADDRESS", "AGE", "AWS_ACCESS_KEY", "AWS_SECRET_KEY", "BANK_ACCOUNT_NUMBER", "BANK_ROUTING",
	"CA_HEALTH_NUMBER", "CA_SOCIAL_INSURANCE_NUMBER", "CREDIT_DEBIT_CVV", "CREDIT_DEBIT_EXPIRY",
	"CREDIT_DEBIT_NUMBER", "DATE_TIME", "DRIVER_ID", "EMAIL", "INTERNATIONAL_BANK_ACCOUNT_NUMBER",
	"IN_AADHAAR", "IN_NREGA", "IN_PERMANENT_ACCOUNT_NUMBER", "IN_VOTER_NUMBER", "IP_ADDRESS",
	"LICENSE_PLATE", "MAC_ADDRESS", "NAME", "PASSPORT_NUMBER", "PASSWORD", "PHONE", "PIN", "SSN",
	"SWIFT_CODE", "UK_NATIONAL_HEALTH_SERVICE_NUMBER", "UK_NATIONAL_INSURANCE_NUMBER",
	"UK_UNIQUE_TAXPAYER_REFERENCE_NUMBER", "URL", "USERNAME", "US_INDIVIDUAL_TAX_IDENTIFICATION_NUMBER",
	"VEHICLE_IDENTIFICATION_NUMBER",
}

// String returns the Comprehend name of e.
func (e Entity) String() string {
	if e < numEntities {
		return entityNames[e]
	}
	return fmt.Sprintf("Entity(%d)", uint8(e))
}

// ParseEntity returns the entity type with the Comprehend name s (case
// sensitive, as Comprehend is).
func ParseEntity(s string) (Entity, bool) {
	for i := Entity(1); i < numEntities; i++ {
		if entityNames[i] == s {
			return i, true
		}
	}
	return None, false
}

// Entities returns every Comprehend entity type.
func Entities() []Entity {
	out := make([]Entity, 0, numEntities-1)
	for i := Entity(1); i < numEntities; i++ {
		out = append(out, i)
	}
	return out
}

// Set is a set of entity types.
type Set uint64

// SetOf returns the set of the given types.
func SetOf(es ...Entity) Set {
	var s Set
	for _, e := range es {
		s |= 1 << e
	}
	return s
}

// Has reports whether e is in s.
func (s Set) Has(e Entity) bool { return s&(1<<e) != 0 }

// Slice lists the types in s.
func (s Set) Slice() []Entity {
	var out []Entity
	for i := Entity(1); i < numEntities; i++ {
		if s.Has(i) {
			out = append(out, i)
		}
	}
	return out
}

func (s Set) String() string {
	names := make([]string, 0, 8)
	for _, e := range s.Slice() {
		names = append(names, e.String())
	}
	return strings.Join(names, ",")
}

// Detectable is the set of entity types this package finds offline.
var Detectable = SetOf(EMAIL, PHONE, SSN, CREDIT_DEBIT_NUMBER, INTERNATIONAL_BANK_ACCOUNT_NUMBER,
	BANK_ROUTING, IP_ADDRESS, MAC_ADDRESS, URL, AWS_ACCESS_KEY, AWS_SECRET_KEY, SWIFT_CODE,
	UK_NATIONAL_INSURANCE_NUMBER, CA_SOCIAL_INSURANCE_NUMBER, UK_NATIONAL_HEALTH_SERVICE_NUMBER,
	IN_AADHAAR, VEHICLE_IDENTIFICATION_NUMBER, DATE_TIME, US_INDIVIDUAL_TAX_IDENTIFICATION_NUMBER)

// All is every Comprehend entity type (what "ALL" selects).
var All = func() Set {
	var s Set
	for i := Entity(1); i < numEntities; i++ {
		s |= 1 << i
	}
	return s
}()
