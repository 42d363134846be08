package alerts

import (
	"strings"
	"testing"

	"talaash"
)

// A test record's alert reaches only the officers of a Test channel, a real
// record's never does, and a pair of one of each alerts nobody.
func TestTestRecordsAlertOnlySimulatorPolice(t *testing.T) {
	e := setup(t)
	reg := talaash.Known()
	reg.Describe(talaash.ChannelSpec{Name: "sim-chat", Caps: talaash.Capabilities{Buttons: true, Conversation: true, Test: true}})
	e.svc.Channels = reg
	sim := Officer{Channel: "sim-chat", Address: "police"}
	e.update(func(tx talaash.Tx) error {
		return tx.PutPolice(&talaash.PoliceEntry{Channel: sim.Channel, Address: sim.Address, Lang: "en"})
	})
	count := func(items []*talaash.OutboxItem) (real, simulated int) {
		for _, it := range items {
			if it.Kind != "alert" {
				continue
			}
			if it.Msg.Channel == sim.Channel {
				simulated++
			} else {
				real++
			}
		}
		return
	}

	real := e.save(missing())
	e.save(sighting("red shirt blue jeans"))
	if r, s := count(e.outbox()); r == 0 || s != 0 {
		t.Errorf("real pair: %d alerts to real officers, %d to the simulator's; want some and none", r, s)
	}

	tm, ts := missing(), sighting("red shirt blue jeans")
	tm.Test, ts.Test = true, true
	e.save(tm)
	e.save(ts)
	if r, s := count(e.outbox()); r != 0 || s != 1 {
		t.Errorf("test pair: %d alerts to real officers, %d to the simulator's; want 0 and 1", r, s)
	}

	// Another test sighting matches the real report too: only its pair with
	// the test report alerts.
	ts2 := sighting("red shirt blue jeans")
	ts2.Test = true
	e.save(ts2)
	items := e.outbox()
	if r, s := count(items); r != 0 || s != 1 {
		t.Errorf("second test sighting: %d alerts to real officers, %d to the simulator's; want 0 and 1", r, s)
	}
	for _, it := range items {
		if strings.Contains(it.Key, real.Ref+"|") {
			t.Errorf("a real report alerted with a test sighting: %s", it.Key)
		}
	}
}

// A real officer's lists of open cases and pending matches leave the
// simulator's test records out.
func TestTestRecordsOutOfRealOfficersLists(t *testing.T) {
	e := setup(t)
	tm, ts := missing(), sighting("red shirt blue jeans")
	tm.Name, tm.Test, ts.Test = "Testchild", true, true
	e.save(tm)
	e.save(ts)
	e.outbox()
	for _, cmd := range []string{"open", "matches"} {
		var out []talaash.Outbound
		e.update(func(tx talaash.Tx) (err error) { out, err = e.svc.Desk(tx, verma, cmd, ""); return })
		if len(out) != 1 || strings.Contains(out[0].Text, tm.Ref) || strings.Contains(out[0].Text, "Testchild") {
			t.Errorf("%s shows a test record to a real officer: %+v", cmd, out)
		}
	}
}
