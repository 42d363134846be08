package main

import (
	"testing"

	"talaash"
	"talaash/bot/telegram"
	"talaash/bot/twilio"
)

// TestKnownChannelsAreTheAdapters: processes without the adapters (import,
// the packages' tests) render by talaash.Known(), so it must say what the
// adapters themselves declare.
func TestKnownChannelsAreTheAdapters(t *testing.T) {
	known := talaash.Known()
	for _, s := range []talaash.ChannelSpec{telegram.Spec, twilio.SMS, twilio.WhatsApp} {
		if c, ok := known.Caps(s.Name); !ok || c != s.Caps {
			t.Errorf("%s: talaash.Known() has %+v (%v), the adapter declares %+v", s.Name, c, ok, s.Caps)
		}
	}
}
