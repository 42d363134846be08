package alerts

import (
	"strings"
	"testing"
	"time"

	"talaash"
)

func lostChild() *talaash.Record {
	return &talaash.Record{Kind: talaash.KindFound, Language: "hi", Name: "Ravi", Gender: "male", Age: talaash.Num(7),
		Place: "Kanpur Central", Time: time.Now(), Safe: talaash.SafeLost, Channel: "sms", Address: "+919812345678",
		Contact: &talaash.Contact{Phone: "+919812345678"}}
}

// A lost child's record is an urgent alert at once, with no candidate, on
// every channel police use, and waits in /matches until it is closed.
func TestLostChildAlertsEveryOfficer(t *testing.T) {
	e := setup(t)
	r := lostChild()
	e.update(func(tx talaash.Tx) error {
		if err := e.cases.Save(tx, r, true); err != nil {
			return err
		}
		return e.svc.OnSaved(tx, r)
	})
	items := e.outbox()
	for _, o := range []Officer{verma, singh, smsOf} {
		got := to(items, o.Channel, o.Address)
		if len(got) != 1 || !got[0].Msg.Urgent || !strings.Contains(got[0].Msg.Text, r.Ref) {
			t.Errorf("%s: %+v, want one urgent alert naming %s", o.ID(), got, r.Ref)
		}
	}
	for _, o := range []Officer{verma, smsOf} {
		var out []talaash.Outbound
		e.update(func(tx talaash.Tx) (err error) { out, err = e.svc.Desk(tx, o, "matches", ""); return })
		if len(out) != 1 || !strings.Contains(out[0].Text, r.Ref) {
			t.Errorf("%s /matches: %+v, want the lost child %s", o.ID(), out, r.Ref)
		}
	}
	// Reunited, it leaves the list.
	e.update(func(tx talaash.Tx) error { _, err := e.svc.Reunited(tx, verma, r.Ref); return err })
	var out []talaash.Outbound
	e.update(func(tx talaash.Tx) (err error) { out, err = e.svc.Desk(tx, verma, "matches", ""); return })
	if len(out) != 1 || strings.Contains(out[0].Text, r.Ref) {
		t.Errorf("after reunited /matches: %+v", out)
	}

	// An officer's found child is not a lost child's call.
	f := lostChild()
	f.Safe = ""
	e.update(func(tx talaash.Tx) error {
		if err := e.cases.Save(tx, f, true); err != nil {
			return err
		}
		return e.svc.OnSaved(tx, f)
	})
	for _, it := range e.outbox() {
		if it.Kind == "alert" {
			t.Errorf("found record alerted: %+v", it)
		}
	}
}

// A lost child in the simulator is told to the simulator's police only.
func TestLostChildTestRecord(t *testing.T) {
	e := setup(t)
	reg := talaash.Known()
	reg.Describe(talaash.ChannelSpec{Name: "sim-chat", Caps: talaash.Capabilities{Buttons: true, Conversation: true, Test: true}})
	e.svc.Channels = reg
	sim := Officer{Channel: "sim-chat", Address: "police"}
	e.update(func(tx talaash.Tx) error {
		return tx.PutPolice(&talaash.PoliceEntry{Channel: sim.Channel, Address: sim.Address, Lang: "en"})
	})
	r := lostChild()
	r.Test = true
	e.update(func(tx talaash.Tx) error {
		if err := e.cases.Save(tx, r, true); err != nil {
			return err
		}
		return e.svc.OnSaved(tx, r)
	})
	for _, it := range e.outbox() {
		if it.Kind == "alert" && it.Msg.Channel != sim.Channel {
			t.Errorf("a test lost child told a real officer: %+v", it)
		}
	}
	var out []talaash.Outbound
	e.update(func(tx talaash.Tx) (err error) { out, err = e.svc.Desk(tx, verma, "matches", ""); return })
	if len(out) != 1 || strings.Contains(out[0].Text, r.Ref) {
		t.Errorf("a real officer's /matches shows a test lost child: %+v", out)
	}
}
