package talaash_test

import (
	"context"
	"net/http"
	"reflect"
	"testing"

	"talaash"
)

type fakeAdapter struct{ specs []talaash.ChannelSpec }

func (f fakeAdapter) Send(context.Context, talaash.Outbound) (string, error) { return "id", nil }
func (f fakeAdapter) Channels() []talaash.ChannelSpec                        { return f.specs }
func (f fakeAdapter) Routes(*http.ServeMux)                                  {}
func (f fakeAdapter) Run(context.Context) error                              { return nil }

func TestRegistry(t *testing.T) {
	r := talaash.NewRegistry(talaash.ChannelSpec{Name: "chat", Caps: talaash.Capabilities{Buttons: true}})
	a := fakeAdapter{[]talaash.ChannelSpec{
		{Name: "wa", Caps: talaash.Capabilities{PhoneAddress: true}},
		{Name: "sms2", Caps: talaash.Capabilities{PhoneAddress: true, Encoding: talaash.EncodingSMS}},
		{Name: "sms1", Caps: talaash.Capabilities{PhoneAddress: true, Encoding: talaash.EncodingSMS}},
	}}
	r.Register(a)
	if c, ok := r.Caps("chat"); !ok || !c.Buttons {
		t.Errorf("described channel: %+v %v", c, ok)
	}
	if _, ok := r.Sender("chat"); ok {
		t.Error("a described channel has no sender")
	}
	if s, ok := r.Sender("wa"); !ok || s == nil {
		t.Error("registered channel without sender")
	}
	if got, want := r.PhoneChannels(), []string{"sms1", "sms2", "wa"}; !reflect.DeepEqual(got, want) {
		t.Errorf("PhoneChannels() = %q, want %q (SMS first, then by name)", got, want)
	}
	if _, ok := r.Caps("import"); ok {
		t.Error("unknown channel known")
	}
	var nilReg *talaash.Registry
	if _, ok := nilReg.Caps("sms"); ok || nilReg.PhoneChannel() != "" {
		t.Error("a nil registry knows nothing")
	}
}
