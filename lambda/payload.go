package lambda

import "encoding/json"

// awsPIIOptions are the payload keys of AWS's Comprehend PII functions.
var awsPIIOptions = map[string]bool{"pii_entity_types": true, "mask_mode": true, "mask_character": true,
	"confidence_threshold": true, "language_code": true, "unsupported_file_handling": true}

// awsPayload turns the flat payload AWS's PII functions take into a chain
// of one stage, transform with those options, so an access point moves to
// olkit by changing its function alone. Anything else is returned as it is.
func awsPayload(payload, transform string) string {
	var m map[string]json.RawMessage
	if json.Unmarshal([]byte(payload), &m) != nil || len(m) == 0 {
		return payload
	}
	for k := range m {
		if !awsPIIOptions[k] {
			return payload
		}
	}
	name, _ := json.Marshal(transform)
	return `{"transforms":[{"name":` + string(name) + `,"options":` + payload + `}]}`
}
