package alerts

import (
	"strings"
	"testing"

	"talaash"
	"talaash/locales"
)

// An officer on an SMS route with DLT on gets every desk answer as
// registered templates: each message's template is one sms-templates lists,
// every variable at most 30 characters and in the text.
func TestDeskDLT(t *testing.T) {
	e := dltSetup(t)
	m, s, _ := e.pair()
	long := missing()
	long.Name, long.Place = "Anjali Kumari Sharma Chaurasiya", "Chhatrapati Shivaji Maharaj Terminus platform 4"
	long.Clothes = "red frock with yellow flowers and a blue cardigan"
	e.save(long)
	for i := 0; i < 3; i++ {
		e.save(missing())
	}
	e.outbox()
	listed := listedTemplates()
	for _, tc := range []struct {
		kind, arg string
		want      []string
	}{
		{"case", m.Ref, []string{m.Ref, "Ramesh", "+919876543210", s.Ref, "Candidates (1)"}},
		{"case", long.Ref, []string{long.Ref, "Anjali Kumari Sharma", "red frock with yellow flowers", "Candidates (1)"}},
		{"open", "", []string{"Open missing cases: 5, page 1", "More: OPEN 2"}},
		{"open", "2", []string{"page 2"}},
		// Five alerts: the count says so; the list holds the three that fit.
		{"matches", "", []string{"/" + s.Ref + " 100% 0h", "Alerts to review: 5"}},
		{"stats", "", []string{"Today: rep"}},
	} {
		var outs []talaash.Outbound
		e.update(func(tx talaash.Tx) (err error) {
			outs, err = e.svc.Desk(tx, Officer{Channel: smsOf.Channel, Address: smsOf.Address, Lang: "en"}, tc.kind, tc.arg)
			return
		})
		all := ""
		for _, o := range outs {
			all += o.Text + "\n"
			if !listed[o.Template] {
				t.Errorf("%s %s: template %q is not listed: %q", tc.kind, tc.arg, o.Template, o.Text)
			}
			for k, v := range o.Vars {
				if len([]rune(v)) > locales.DLTVarMax || !strings.Contains(o.Text, v) {
					t.Errorf("%s: variable %s %q over %d or not in %q", o.Template, k, v, locales.DLTVarMax, o.Text)
				}
			}
		}
		for _, w := range tc.want {
			if !strings.Contains(all, w) {
				t.Errorf("%s %s lacks %q:\n%s", tc.kind, tc.arg, w, all)
			}
		}
	}
}

// dltSetup is setup with the SMS channel taking registered templates only.
func dltSetup(t *testing.T) *env {
	e := setup(t)
	reg := talaash.Known()
	c, _ := reg.Caps(talaash.ChannelSMS)
	c.Templates = true
	reg.Describe(talaash.ChannelSpec{Name: talaash.ChannelSMS, Caps: c})
	e.svc.Channels = reg
	return e
}

func listedTemplates() map[string]bool {
	listed := map[string]bool{}
	for _, tp := range locales.SMSTemplates() {
		listed[tp.Name] = true
	}
	return listed
}

// A lost child's alert on a DLT route keeps the child's number, whatever
// the description, and is a listed template, not cut.
func TestLostChildDLT(t *testing.T) {
	e := dltSetup(t)
	r := lostChild()
	r.Name, r.Place = "Ravi Shankar Prasad Chaurasiya", "Chhatrapati Shivaji Maharaj Terminus platform 4"
	e.update(func(tx talaash.Tx) error {
		if err := e.cases.Save(tx, r, true); err != nil {
			return err
		}
		return e.svc.OnSaved(tx, r)
	})
	got := to(e.outbox(), smsOf.Channel, smsOf.Address)
	if len(got) != 1 {
		t.Fatalf("%+v", got)
	}
	m := got[0].Msg
	if !listedTemplates()[m.Template] || !strings.Contains(m.Text, "+919812345678") || !strings.Contains(m.Text, "CASE "+r.Ref) || !m.Urgent {
		t.Errorf("lost child alert %s: %q", m.Template, m.Text)
	}
	for k, v := range m.Vars {
		if len([]rune(v)) > locales.DLTVarMax || !strings.Contains(m.Text, v) {
			t.Errorf("variable %s %q", k, v)
		}
	}
}

// The SMS alert on a DLT route is a listed template whose descriptions go as
// whole items in up to three values each, so more of them reaches the
// officer than one 30-character value would carry.
func TestAlertDLT(t *testing.T) {
	e := dltSetup(t)
	_, s, items := e.pair()
	got := to(items, smsOf.Channel, smsOf.Address)
	if len(got) != 1 {
		t.Fatalf("%+v", got)
	}
	m := got[0].Msg
	if !listedTemplates()[m.Template] || !strings.HasPrefix(m.Template, "hi:alerts.alert.sms#") && !strings.HasPrefix(m.Template, "en:alerts.alert.sms#") {
		t.Errorf("alert template %q", m.Template)
	}
	for _, w := range []string{"Ramesh", "red shirt", "mole on left cheek", "+919876543210", "YES " + s.Ref} {
		if !strings.Contains(m.Text, w) {
			t.Errorf("alert lacks %q: %q", w, m.Text)
		}
	}
	for k, v := range m.Vars {
		if len([]rune(v)) > locales.DLTVarMax || !strings.Contains(m.Text, v) {
			t.Errorf("variable %s %q", k, v)
		}
	}
	if m.Vars["MissingDesc2"] == "" {
		t.Errorf("the missing child's description in one value: %v", m.Vars)
	}
}
