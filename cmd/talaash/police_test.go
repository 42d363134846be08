package main

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"talaash"
	"talaash/locales"
)

var reCode = regexp.MustCompile(`(?m)^code: (\S+)$`)

// TestE2EEnrolment runs the real service on a temp database: an officer
// invited by `talaash police add` enrols with their code and gets the match
// alert; someone holding only the general code asks, sees nothing of the
// match and is refused a case, until `talaash police approve` accepts them;
// `talaash police revoke` ends it; `talaash audit` shows every step.
func TestE2EEnrolment(t *testing.T) {
	s := newService(t)
	const verma, asker, stranger = 31337, 4040, 5050
	r := talaashRun(t, s.db, "", "police", "add", "--name", "SI Verma", "--station", "Kalyanpur", "--telegram", "31337")
	m := reCode.FindStringSubmatch(r.stdout)
	if r.code != 0 || m == nil || !strings.Contains(r.stdout, "invitation 1 for SI Verma (Kalyanpur)") ||
		!strings.Contains(r.stdout, "Only Telegram chat 31337 may use it") {
		t.Fatalf("police add: code %d, %s%s", r.code, r.stdout, r.stderr)
	}
	code := m[1]
	r = talaashRun(t, s.db, "", "police", "add", "--name", "HC Singh", "--station", "Kotwali", "--valid", "1ms")
	expired := reCode.FindStringSubmatch(r.stdout)[1]
	if strings.Contains(r.stderr, code) || strings.Contains(r.stderr, expired) {
		t.Errorf("a code in the log: %s", r.stderr)
	}
	time.Sleep(2 * time.Millisecond)

	s.start(nil)
	say := func(chat int64, text, id string, data map[string]any) {
		t.Helper()
		got := s.step(chat, text, "", "", 1)[0].Text
		if want := locales.Render("en", id, data); got != want {
			t.Errorf("%d sent %q: answered %q, want %s %q", chat, text, got, id, want)
		}
	}
	say(stranger, "/police "+code, "core.enrol.wrong", map[string]any{"Left": 4})
	say(stranger, "/police "+expired, "core.enrol.expired", nil)
	say(verma, "/police "+strings.ToLower(code), "core.enrol.ok", nil)
	say(stranger, "/police "+code, "core.enrol.used", nil)
	say(asker, "/police "+e2eCode, "core.enrol.pending", map[string]any{"N": 1})

	mref := s.report(4646, "AgACphoto4646")
	sref, _ := s.sighting(bystander, sightingText)
	waitFor(t, "the invited officer's alert", 10*time.Second, func() bool {
		for _, c := range chatCalls(s.api, verma) {
			if strings.Contains(c.Text, mref) && strings.Contains(c.Text, sref) {
				return true
			}
		}
		return false
	})
	waitFor(t, "the configured officer's alert", 10*time.Second, func() bool { return len(alertsFor(s.api, mref, sref)) == 1 })
	say(asker, "/case "+mref, "police.only", nil)
	for _, c := range chatCalls(s.api, asker) {
		if strings.Contains(c.Text, mref) || strings.Contains(c.Text, sref) || strings.Contains(c.Text, parentPhone) || c.Photo != "" {
			t.Errorf("the unapproved asker got %+v", c)
		}
	}
	// The case comes as its photo, then the record.
	if got := s.step(verma, "/case "+mref, "", "", 2)[1].Text; !strings.Contains(got, parentPhone) {
		t.Errorf("invited officer's case lookup %q", got)
	}
	s.stop()

	r = talaashRun(t, s.db, "", "police", "approve")
	if r.code != 0 || !regexp.MustCompile(`(?m)^1\s+telegram\s+4040\s`).MatchString(r.stdout) {
		t.Fatalf("police approve (list): code %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if r = talaashRun(t, s.db, "", "police", "approve", "1"); r.code != 0 || !strings.Contains(r.stdout, "request 1 approved") {
		t.Fatalf("police approve 1: code %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if r = talaashRun(t, s.db, "", "police", "approve", "1"); r.code != 1 || !strings.Contains(r.stderr, "approved already") {
		t.Errorf("approving twice: code %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if r = talaashRun(t, s.db, "", "police", "approve"); !strings.Contains(r.stdout, "no enrolment requests are waiting") {
		t.Errorf("police approve after: %s", r.stdout)
	}

	s.start(nil)
	waitFor(t, "the approval told", 10*time.Second, func() bool {
		for _, c := range chatCalls(s.api, asker) {
			if c.Text == locales.Render("en", "core.enrol.approved", map[string]any{"N": 1}) {
				return true
			}
		}
		return false
	})
	if got := s.step(asker, "/case "+mref, "", "", 2)[1].Text; !strings.Contains(got, mref) {
		t.Errorf("approved officer's case lookup %q", got)
	}
	s.stop()

	if r = talaashRun(t, s.db, "", "police", "revoke", "--telegram", "31337"); r.code != 0 || !strings.Contains(r.stdout, "revoked telegram:31337") {
		t.Fatalf("police revoke: code %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if r = talaashRun(t, s.db, "", "police", "revoke", "--sms", "098111 11111"); r.code != 1 {
		t.Errorf("revoking a stranger: code %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	r = talaashRun(t, s.db, "", "police", "list")
	officers, _, _ := strings.Cut(r.stdout, "\n\n")
	if r.code != 0 || strings.Contains(officers, "telegram:31337") || !strings.Contains(officers, "telegram:4040") ||
		!strings.Contains(r.stdout, "used by telegram:31337") || !strings.Contains(r.stdout, "expired") {
		t.Errorf("police list: code %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	s.start(nil)
	say(verma, "/case "+mref, "police.only", nil)
	s.stop()

	for ref, want := range map[string][]string{
		"telegram:31337": {`cli\s+invite\s+SI Verma, Kalyanpur`, `telegram:31337\s+enrol\s+invitation 1`, `cli\s+revoke`},
		"telegram:4040":  {`telegram:4040\s+request\s+request 1`, `cli\s+approve\s+request 1`},
		"telegram:5050":  {`telegram:5050\s+refuse\s+invitation 1: for another sender`, `telegram:5050\s+refuse\s+invitation 2: expired`, `telegram:5050\s+refuse\s+invitation 1: used`},
		"invite:1":       {`cli\s+invite`, `telegram:31337\s+enrol`, `telegram:5050\s+refuse`},
		mref:             {`telegram:31337\s+view`},
	} {
		r := talaashRun(t, s.db, "", "audit", ref)
		if r.code != 0 {
			t.Errorf("audit %s: code %d %s", ref, r.code, r.stderr)
		}
		for _, w := range want {
			if !regexp.MustCompile(`(?m)^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d IST\s+` + w).MatchString(r.stdout) {
				t.Errorf("audit %s lacks %q:\n%s", ref, w, r.stdout)
			}
		}
	}
	if r = talaashRun(t, s.db, "", "audit", "K-0000-0"); r.code != 0 || !strings.Contains(r.stdout, "no access log") {
		t.Errorf("audit of nothing: %+v", r)
	}
}

func TestPoliceUsage(t *testing.T) {
	db := tempDB(t)
	for _, args := range [][]string{
		{"police"}, {"police", "fire"}, {"police", "add", "--name", "x"}, {"police", "add", "--station", "y"},
		{"police", "add", "--name", "x", "--station", "y", "--valid", "-1h"},
		{"police", "revoke"}, {"police", "revoke", "--telegram", "1", "--sms", "9876543210"},
		{"police", "approve", "one"}, {"audit"},
	} {
		var words []any
		for _, a := range args {
			words = append(words, a)
		}
		if r := talaashRun(t, db, "", words...); r.code != 2 {
			t.Errorf("%v: code %d, want 2 (usage)\n%s", args, r.code, r.stderr)
		}
	}
	if r := talaashRun(t, db, "", "police", "add", "--name", "x", "--station", "y", "--sms", "12"); r.code != 1 || !strings.Contains(r.stderr, "not a phone number") {
		t.Errorf("a bad --sms: %+v", r)
	}
}

// TestPoliceThroughService: while the service holds the database, `talaash
// police add|approve|revoke|list` run in it over the admin socket, with its
// answers and exit codes; once it stops they run on the file.
func TestPoliceThroughService(t *testing.T) {
	s := newService(t)
	s.start(nil)
	waitFor(t, "the admin socket", 5*time.Second, func() bool { return serviceRunning(s.db) })
	const verma, asker = 31337, 4040
	r := talaashRun(t, s.db, "", "police", "add", "--name", "SI Verma", "--station", "Kalyanpur", "--telegram", "31337")
	m := reCode.FindStringSubmatch(r.stdout)
	if r.code != 0 || m == nil || !strings.Contains(r.stdout, "invitation 1 for SI Verma (Kalyanpur)") {
		t.Fatalf("police add with the service running: code %d, %s%s", r.code, r.stdout, r.stderr)
	}
	say := func(chat int64, text, id string, data map[string]any) {
		t.Helper()
		if got, want := s.step(chat, text, "", "", 1)[0].Text, locales.Render("en", id, data); got != want {
			t.Errorf("%d sent %q: answered %q, want %s %q", chat, text, got, id, want)
		}
	}
	say(verma, "/police "+m[1], "core.enrol.ok", nil)
	say(asker, "/police "+e2eCode, "core.enrol.pending", map[string]any{"N": 1})

	is := func(chat int64) (ok bool) {
		s.view(func(tx talaash.Tx) (err error) {
			ok, err = s.m.Police.Is(tx, talaash.ChannelTelegram, fmt.Sprint(chat))
			return err
		})
		return ok
	}
	if r := talaashRun(t, s.db, "", "police", "approve"); r.code != 0 || !strings.Contains(r.stdout, "telegram") || !strings.Contains(r.stdout, "4040") {
		t.Fatalf("police approve (the list): code %d, %s%s", r.code, r.stdout, r.stderr)
	}
	if r := talaashRun(t, s.db, "", "police", "approve", "1"); r.code != 0 || !strings.Contains(r.stdout, "request 1 approved") || !is(asker) {
		t.Fatalf("police approve 1: code %d, police %v, %s%s", r.code, is(asker), r.stdout, r.stderr)
	}
	if r := talaashRun(t, s.db, "", "police", "list"); r.code != 0 || !strings.Contains(r.stdout, "telegram:31337") || !strings.Contains(r.stdout, "SI Verma") {
		t.Fatalf("police list: code %d, %s%s", r.code, r.stdout, r.stderr)
	}
	if r := talaashRun(t, s.db, "", "police", "revoke", "--telegram", "31337"); r.code != 0 || !strings.Contains(r.stdout, "revoked telegram:31337") || is(verma) {
		t.Fatalf("police revoke: code %d, still police %v, %s%s", r.code, is(verma), r.stdout, r.stderr)
	}
	// The service's errors come back as the command's own.
	if r := talaashRun(t, s.db, "", "police", "revoke", "--telegram", "999"); r.code != 1 || !strings.Contains(r.stderr, "nothing to revoke") {
		t.Errorf("revoking nobody: code %d, %s", r.code, r.stderr)
	}
	if r := talaashRun(t, s.db, "", "police", "add", "--station", "Kotwali"); r.code != 2 || !strings.Contains(r.stderr, "needs --name and --station") {
		t.Errorf("police add without a name: code %d, %s", r.code, r.stderr)
	}
	s.stop()
	r = talaashRun(t, s.db, "", "police", "list")
	officers, _, _ := strings.Cut(r.stdout, "invitation")
	if r.code != 0 || strings.Contains(officers, "telegram:31337") || !strings.Contains(officers, "telegram:4040") {
		t.Errorf("police list on the file: code %d, %s%s", r.code, r.stdout, r.stderr)
	}
}
