package alerts

import (
	"strings"
	"testing"
	"time"

	"talaash"
)

// TestWeeklySaysWhereTheCaseStands: the weekly message to a parent follows
// the case as STATUS does: still searching, then a child being checked while
// an alert waits, then police have a match and will call after Confirm;
// never the sighting's place or the bystander's name or number.
func TestWeeklySaysWhereTheCaseStands(t *testing.T) {
	e := setup(t)
	remind := func() []*talaash.OutboxItem {
		e.update(e.svc.Remind)
		return e.outbox()
	}
	weekly := func(want string) {
		t.Helper()
		e.clk.Add(7*24*time.Hour + time.Hour)
		p := to(remind(), "telegram", "5005")
		if len(p) != 1 || strings.TrimSuffix(p[0].Msg.Template, ".sms") != "hi:"+want {
			t.Fatalf("weekly %+v, want %s", p, want)
		}
		for _, f := range []string{"Kanpur Central", "Anil", "98111"} {
			if strings.Contains(p[0].Msg.Text, f) {
				t.Fatalf("weekly to the parent holds %q: %q", f, p[0].Msg.Text)
			}
		}
	}
	m := e.save(missing())
	e.outbox()
	weekly("alerts.notify.weekly")
	s := e.save(sighting("red shirt"))
	e.outbox()
	weekly("alerts.notify.weekly.checking")
	e.update(func(tx talaash.Tx) error {
		_, err := e.svc.Review(tx, verma, m.Ref, s.Ref, true)
		return err
	})
	e.outbox()
	weekly("alerts.notify.weekly.confirmed")
}
