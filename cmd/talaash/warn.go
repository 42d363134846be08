package main

import (
	"talaash"
)

// deploymentWarnings names what keeps this deployment from doing its job:
// nobody to alert, no places to match on, no way to reach a phone by SMS
// (most parents have no smartphone). Serve logs each at start.
func (m *Main) deploymentWarnings() []string {
	var out []string
	var n int
	err := m.DB.View(func(tx talaash.Tx) error {
		list, err := m.Police.Officers(tx)
		for _, e := range list {
			// The simulator's police hear of test records only.
			if c, _ := m.Channels.Caps(e.Channel); !c.Test {
				n++
			}
		}
		return err
	})
	if err == nil && n == 0 {
		out = append(out, "no police enrolled: no officer gets alerts; set TALAASH_POLICE_TELEGRAM or TALAASH_POLICE_SMS, or TALAASH_POLICE_CODE and `talaash police add`")
	}
	if m.Matcher != nil && m.Matcher.Places() == 0 {
		out = append(out, "no gazetteer loaded (0 places): places are not matched; check TALAASH_PLACES")
	}
	sms := false
	for _, a := range m.Channels.Adapters() {
		for _, ch := range a.Channels() {
			if ch.Caps.PhoneAddress && ch.Caps.Encoding == talaash.EncodingSMS && !ch.Caps.Test {
				sms = true
			}
		}
	}
	if !sms {
		out = append(out, "no SMS channel configured: parents without a smartphone cannot be reached; set the TWILIO_ or KANNEL_ settings")
	}
	return out
}
