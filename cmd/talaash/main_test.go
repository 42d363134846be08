package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"talaash"
	"talaash/cases"
	"talaash/devdata"
	"talaash/store/bolt"
)

// casesFile is the development set kept in the repository.
var casesFile = devdata.CasesFile

type run struct {
	stdout, stderr string
	err            error
	code           int
}

// talaashRun runs the command with args against db, stdin as standard input;
// args may start with a func(*Main) that adjusts the program first.
func talaashRun(t testing.TB, db, stdin string, args ...any) run {
	t.Helper()
	var out, errb bytes.Buffer
	m := NewMain()
	var words []string
	var adjust []func(*Main)
	for _, a := range args {
		switch a := a.(type) {
		case func(*Main):
			adjust = append(adjust, a)
		case string:
			words = append(words, a)
		default:
			t.Fatalf("talaashRun: argument %v", a)
		}
	}
	m.Stdin = strings.NewReader(stdin)
	m.Stdout, m.Stderr = &out, &errb
	m.Logger = slog.New(slog.NewTextHandler(&errb, nil))
	m.Getenv = func(k string) string {
		if k == "TALAASH_DB" {
			return db
		}
		return ""
	}
	for _, f := range adjust {
		f(m)
	}
	err := m.Run(context.Background(), words)
	if cerr := m.Close(); err == nil {
		err = cerr
	}
	code := exitCode(&errb, err)
	return run{out.String(), errb.String(), err, code}
}

func tempDB(t testing.TB) string { return filepath.Join(t.TempDir(), "data", "talaash.db") }

// TestImportCases checks what import stores; matching the same file is
// TestMatchQuality's, so this runs on the store alone.
func TestImportCases(t *testing.T) {
	db := tempDB(t)
	r := talaashRun(t, db, "", storeOnly, "import", casesFile)
	if r.code != 0 || !strings.Contains(r.stderr, "stored 2500, updated 0, rejected 0") {
		t.Fatalf("import: code %d err %v\n%s", r.code, r.err, r.stderr)
	}
	// Again: the same refs update, never duplicate.
	r = talaashRun(t, db, "", storeOnly, "import", "--no-alerts", casesFile)
	if r.code != 0 || !strings.Contains(r.stderr, "stored 0, updated 2500, rejected 0") {
		t.Fatalf("re-import: code %d\n%s", r.code, r.stderr)
	}
	d, err := bolt.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	d.View(func(tx talaash.Tx) error {
		if n := tx.CountRecords(); n != 2500 {
			t.Errorf("%d records, want 2500", n)
		}
		rec, err := tx.Record("m000028")
		if err != nil || rec.Name != "सोनम राजपूत" || rec.Contact.Phone != "+919817685869" || *rec.Age != 16 {
			t.Errorf("M000028: %+v %v", rec, err)
		}
		return nil
	})
}

func TestImportBadLines(t *testing.T) {
	good := `{"ref":"G1","kind":"missing","time":"2025-06-01T10:00:00+05:30","age":8,"contact":{"phone":"98765 43210"}}`
	lines := []struct{ text, want string }{
		{good, ""},
		{`{"ref":"B1","kind":"missing","time":`, "invalid JSON"},
		{`{"ref":"B2","kind":"lost","time":"2025-06-01T10:00:00+05:30"}`, `unknown kind "lost"`},
		{`{"ref":"B3","time":"2025-06-01T10:00:00+05:30"}`, "missing kind"},
		{`{"ref":"B4","kind":"sighting"}`, "missing time"},
		{`{"ref":"B5","kind":"missing","time":"2025-06-01T10:00:00+05:30","age":25}`, "age 25 is outside 0-18"},
		{`{"ref":"B6","kind":"missing","time":"2025-06-01T10:00:00+05:30","age_min":12,"age_max":9}`, "age_min 12 is more than age_max 9"},
		{`{"ref":"B7","kind":"found","time":"2025-06-01T10:00:00+05:30","contact":{"phone":"12345"}}`, "contact phone"},
		{`{"ref":"B8","kind":"found","time":"yesterday evening"}`, `time "yesterday evening" is not RFC 3339`},
		{`{"ref":"B9","kind":"found","time":"2025-06-01T10:00:00+05:30","text":"` + strings.Repeat("x", 70<<10) + `"}`, "longer than 64 KiB"},
		{`{"ref":"B10","kind":"found","time":"2025-06-01T10:00:00+05:30","age":"eight"}`, "invalid JSON: age must be a number, not string"},
		{``, ""}, // blank lines are skipped, not rejected
		{`{"ref":"G2","kind":"sighting","time":"2025-06-02T10:00:00Z","text":"Seen boy about 8 yrs red shirt at Kanpur Central"}`, ""},
	}
	var in strings.Builder
	for _, l := range lines {
		in.WriteString(l.text + "\n")
	}
	db := tempDB(t)
	r := talaashRun(t, db, in.String(), "import", "-")
	if r.code != 1 || !errors.Is(r.err, errRejected) {
		t.Fatalf("exit %d (%v), want 1", r.code, r.err)
	}
	for i, l := range lines {
		prefix := fmt.Sprintf("line %d: ", i+1)
		got := ""
		for _, s := range strings.Split(r.stderr, "\n") {
			if strings.HasPrefix(s, prefix) {
				got = s
			}
		}
		if l.want == "" && got != "" {
			t.Errorf("good line %d rejected: %s", i+1, got)
		}
		if l.want != "" && !strings.Contains(got, l.want) {
			t.Errorf("line %d: got %q, want %q", i+1, got, l.want)
		}
	}
	if !strings.Contains(r.stderr, "stored 2, updated 0, rejected 10") {
		t.Errorf("summary: %s", r.stderr)
	}
	// Nothing of a bad line was written; the good ones are whole.
	out := talaashRun(t, db, "", "export")
	if n := strings.Count(out.stdout, "\n"); n != 2 || !strings.Contains(out.stdout, `"ref":"G1"`) || !strings.Contains(out.stdout, `"phone":"+919876543210"`) {
		t.Errorf("export after bad lines: %s", out.stdout)
	}
	// A clean file exits 0.
	if r := talaashRun(t, db, good+"\n", "import", "-"); r.code != 0 || !strings.Contains(r.stderr, "stored 0, updated 1, rejected 0") {
		t.Errorf("clean import: %d %s", r.code, r.stderr)
	}
}

// A record that fails to save (the store refuses it, say) loses only its own
// line, not the batch; --no-alerts keeps every pair from the alert hook.
func TestImportSaveFailureIsolated(t *testing.T) {
	db := tempDB(t)
	// A sighting every report pairs with as an alert, stored beforehand.
	d, err := bolt.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	err = d.Update(func(tx talaash.Tx) error {
		return tx.PutRecord(&talaash.Record{Ref: "S0", Kind: talaash.KindSighting, Time: time.Date(2025, 6, 1, 11, 0, 0, 0, time.UTC)})
	})
	d.Close()
	if err != nil {
		t.Fatal(err)
	}
	var in strings.Builder
	for i := 0; i < 5; i++ {
		fmt.Fprintf(&in, `{"ref":"R%d","kind":"missing","time":"2025-06-01T10:00:00Z"}`+"\n", i)
	}
	var out, errb bytes.Buffer
	m := NewMain()
	m.Stdin, m.Stdout, m.Stderr = strings.NewReader(in.String()), &out, &errb
	m.Getenv = func(k string) string { return map[string]string{"TALAASH_DB": db}[k] }
	fs := &faultStore{refuse: "R3"}
	withFaultStore(t, db, fs)(m)
	alerts := 0
	m.Cases = &cases.Service{Matcher: pairWith("S0"), OnAlert: func(talaash.Tx, talaash.Candidate) error { alerts++; return nil },
		Decide: func(list []talaash.Candidate) {
			for i := range list {
				list[i].Alert = true
			}
		}}
	err = m.Run(context.Background(), []string{"import", "-", "--no-alerts"})
	m.Close()
	if !errors.Is(err, errRejected) || !strings.Contains(errb.String(), "line 4: R3 refused") || !strings.Contains(errb.String(), "stored 4, updated 0, rejected 1") {
		t.Fatalf("err %v\n%s", err, errb.String())
	}
	if alerts != 0 {
		t.Errorf("--no-alerts passed alerts=true %d times", alerts)
	}
}

func TestExportImportRoundTrip(t *testing.T) {
	// The first 500 cases keep the test quick under -race; TestImportCases takes all.
	all, err := os.ReadFile(casesFile)
	if err != nil {
		t.Fatal(err)
	}
	cases := strings.SplitAfterN(string(all), "\n", 501)[:500]
	src := tempDB(t)
	if r := talaashRun(t, src, strings.Join(cases, ""), "import", "-"); r.code != 0 {
		t.Fatal(r.stderr)
	}
	// Give one record every Talaash field, history included.
	d, err := bolt.Open(src)
	if err != nil {
		t.Fatal(err)
	}
	err = d.Update(func(tx talaash.Tx) error {
		r, err := tx.Record("M000028")
		if err != nil {
			return err
		}
		r.Photos, r.Station, r.Safe, r.Channel, r.Address = []string{"AgAD1", "https://x/y.jpg"}, "Kalyanpur", "yes", "sms", "+919817685869"
		r.Text = "line one\nline \"two\", with comma"
		if err := tx.PutRecord(r); err != nil {
			return err
		}
		_, err = tx.SetStatus("M000028", talaash.StatusReunited, "telegram:1", "home", time.Date(2025, 6, 3, 0, 0, 0, 0, time.UTC))
		return err
	})
	d.Close()
	if err != nil {
		t.Fatal(err)
	}
	for _, format := range []string{"jsonl", "csv"} {
		t.Run(format, func(t *testing.T) {
			first := talaashRun(t, src, "", "export", "--format", format)
			if first.code != 0 {
				t.Fatal(first.stderr)
			}
			dst := tempDB(t)
			if r := talaashRun(t, dst, first.stdout, "import", "-"); r.code != 0 || !strings.Contains(r.stderr, "stored 500,") {
				t.Fatalf("import of %s export: %s", format, r.stderr)
			}
			second := talaashRun(t, dst, "", "export")
			want := talaashRun(t, src, "", "export")
			a, b := withoutUpdated(t, want.stdout), withoutUpdated(t, second.stdout)
			if len(a) != 500 || len(a) != len(b) {
				t.Fatalf("%d vs %d records", len(a), len(b))
			}
			for i := range a {
				if a[i] != b[i] {
					t.Fatalf("record %d differs after %s round trip:\n%s\n%s", i, format, a[i], b[i])
				}
			}
		})
	}
	// --kind filters.
	r := talaashRun(t, src, "", "export", "--kind", "found")
	if n := strings.Count(r.stdout, "\n"); n != strings.Count(strings.Join(cases, ""), `"kind": "found"`) || n == 0 || strings.Contains(r.stdout, `"kind":"missing"`) {
		t.Errorf("--kind found gave %d lines", n)
	}
	if r := talaashRun(t, src, "", "export", "--kind", "lost"); r.code != 2 {
		t.Errorf("bad --kind exit %d", r.code)
	}
}

// withoutUpdated drops the one field a re-import changes.
func withoutUpdated(t *testing.T, jsonl string) []string {
	var out []string
	for _, l := range strings.Split(strings.TrimSpace(jsonl), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatal(err)
		}
		if m["updated"] == nil {
			t.Fatal("export lacks updated")
		}
		delete(m, "updated")
		b, _ := json.Marshal(m)
		out = append(out, string(b))
	}
	return out
}

func TestStats(t *testing.T) {
	db := tempDB(t)
	day := func(d int) string { return time.Date(2025, 6, d, 0, 0, 0, 0, time.UTC).Format(time.RFC3339) }
	hist := func(d int) string {
		return fmt.Sprintf(`[{"at":%q,"by":"police","from":"open","to":"matched"},{"at":%q,"by":"police","from":"matched","to":"reunited"}]`, day(d), day(d))
	}
	lines := []string{
		// Four missing: reunited after 2, 4 and 9 days, one still open.
		fmt.Sprintf(`{"ref":"M1","kind":"missing","time":%q,"status":"reunited","history":%s}`, day(1), hist(3)),
		fmt.Sprintf(`{"ref":"M2","kind":"missing","time":%q,"status":"reunited","history":%s}`, day(1), hist(5)),
		fmt.Sprintf(`{"ref":"M3","kind":"missing","time":%q,"status":"reunited","history":%s}`, day(2), hist(11)),
		fmt.Sprintf(`{"ref":"M4","kind":"missing","time":%q}`, day(2)),
		fmt.Sprintf(`{"ref":"S1","kind":"sighting","time":%q}`, day(2)),
		fmt.Sprintf(`{"ref":"F1","kind":"found","time":%q,"status":"closed"}`, day(2)),
		fmt.Sprintf(`{"ref":"F2","kind":"found","time":%q,"status":"matched"}`, day(2)),
	}
	if r := talaashRun(t, db, strings.Join(lines, "\n"), "import", "-"); r.code != 0 {
		t.Fatal(r.stderr)
	}
	r := talaashRun(t, db, "", "stats", "--json")
	var s Stats
	if err := json.Unmarshal([]byte(r.stdout), &s); err != nil {
		t.Fatal(err, r.stdout)
	}
	if s.Records != 7 || s.Missing != 4 || s.Reunited != 3 || s.Recovered != 0.75 || s.MedianDays != 4 || s.MedianOf != 3 {
		t.Errorf("stats %+v", s)
	}
	// Reports count in the period they were made (imported now), reunions in
	// the period they happened (2025): the desk's figures, from one package.
	if s.Today.Reported != 4 || s.Today.Found != 2 || s.Today.Reunited != 0 || s.Year.Reported != 4 {
		t.Errorf("periods %+v %+v", s.Today, s.Year)
	}
	if s.Counts["missing"]["open"] != 1 || s.Counts["found"]["closed"] != 1 || s.Counts["found"]["matched"] != 1 || s.Counts["sighting"]["open"] != 1 {
		t.Errorf("counts %v", s.Counts)
	}
	text := talaashRun(t, db, "", "stats").stdout
	for _, want := range []string{"recovered: 3 of 4 missing (75.0%)", "this month", "3/4 (75%)", "median days from missing to reunited: 4.0 (over 3)", "records: 7"} {
		if !strings.Contains(text, want) {
			t.Errorf("stats text lacks %q:\n%s", want, text)
		}
	}
	if !strings.Contains(text, "missing     1        0         3       0      4") {
		t.Errorf("stats table:\n%s", text)
	}
}

func TestServeHealthzAndShutdown(t *testing.T) {
	db := tempDB(t)
	m := NewMain()
	var errb bytes.Buffer
	m.Stdout, m.Stderr = io.Discard, &errb
	m.Logger = slog.New(slog.NewTextHandler(&errb, nil))
	m.Getenv = func(k string) string {
		return map[string]string{"TALAASH_DB": db, "TALAASH_LISTEN": "127.0.0.1:0"}[k]
	}
	listening := make(chan string, 1)
	m.Listening = listening
	bgStopped := make(chan struct{})
	m.Background = append(m.Background, func(ctx context.Context) error {
		<-ctx.Done()
		close(bgStopped)
		return ctx.Err()
	})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- m.Run(ctx, nil) }() // no args: serve
	var addr string
	select {
	case addr = <-listening:
	case err := <-done:
		t.Fatalf("serve ended: %v", err)
	case <-time.After(5 * time.Second):
		t.Fatal("serve did not start")
	}
	resp, err := http.Get("http://" + addr + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || string(body) != `{"status":"ok","store":"ok","channels":{}}`+"\n" {
		t.Fatalf("healthz %d %q", resp.StatusCode, body)
	}
	if resp, err := http.Post("http://"+addr+"/healthz", "text/plain", nil); err != nil || resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST /healthz: %v %v", resp.StatusCode, err)
	}

	// While serve holds the database, a second process is told so at once.
	r := talaashRun(t, db, "", "stats")
	if r.code != 1 || !strings.Contains(r.stderr, "database "+db+" is in use by another talaash process") {
		t.Errorf("second open: %d %s", r.code, r.stderr)
	}

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve returned %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("serve did not stop on cancel")
	}
	<-bgStopped
	// No officer, no SMS channel: serve says it cannot do its job.
	for _, w := range []string{"no police enrolled", "no SMS channel configured"} {
		if !strings.Contains(errb.String(), w) {
			t.Errorf("no warning %q at start:\n%s", w, errb.String())
		}
	}
	if strings.Contains(errb.String(), "no gazetteer") {
		t.Errorf("warned of no gazetteer with the embedded one")
	}
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := http.Get("http://" + addr + "/healthz"); err == nil {
		t.Error("still answering after shutdown")
	}
}

func TestConfigAndUsage(t *testing.T) {
	env := map[string]string{"TALAASH_POLICE_SMS": " +919876543210, ,9876543211", "TELEGRAM_API_URL": "http://localhost:8081/", "TALAASH_LISTEN": "0.0.0.0:9000"}
	c := ConfigFromEnv(func(k string) string { return env[k] })
	if c.DB != filepath.Join("data", "talaash.db") || c.TwilioAPIURL != "https://api.twilio.com" || c.TelegramAPIURL != "http://localhost:8081" ||
		len(c.PoliceSMS) != 2 || c.Public() != "http://0.0.0.0:9000" || c.SMSEnabled() || c.TelegramEnabled() {
		t.Errorf("config %+v", c)
	}
	db := tempDB(t)
	if r := talaashRun(t, db, "", "frobnicate"); r.code != 2 || !strings.Contains(r.stderr, "usage:") {
		t.Errorf("unknown command: %d %s", r.code, r.stderr)
	}
	if r := talaashRun(t, db, "", "import"); r.code != 2 {
		t.Errorf("import without file: %d", r.code)
	}
	if r := talaashRun(t, db, "", "import", filepath.Join(t.TempDir(), "nope.jsonl")); r.code != 1 {
		t.Errorf("import of missing file: %d", r.code)
	}
	// --db wins over TALAASH_DB.
	other := tempDB(t)
	talaashRun(t, db, `{"kind":"found","time":"2025-06-01T10:00:00Z"}`, "import", "--db", other, "-")
	if _, err := os.Stat(other); err != nil {
		t.Errorf("--db not used: %v", err)
	}
}

func TestImportCSVBadRows(t *testing.T) {
	in := "ref,kind,time,age,contact_phone,text\n" +
		"C1,missing,2025-06-01T10:00:00Z,7,9876543210,\"multi\nline, quoted\"\n" +
		"C2,missing,2025-06-01T10:00:00Z,seven,,\n" +
		"C3,found,not a time,,,\n" +
		"C4,sighting,2025-06-01T10:00:00Z,19,,\n"
	db := tempDB(t)
	r := talaashRun(t, db, in, "import", "--format", "csv", "-")
	for _, want := range []string{`line 4: age "seven" is not a number`, `line 5: time "not a time" is not RFC 3339`, "stored 2, updated 0, rejected 2"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("missing %q in:\n%s", want, r.stderr)
		}
	}
	if r.code != 1 {
		t.Errorf("exit %d", r.code)
	}
	out := talaashRun(t, db, "", "export").stdout
	if !strings.Contains(out, `"text":"multi\nline, quoted"`) || !strings.Contains(out, `"phone":"+919876543210"`) {
		t.Errorf("export: %s", out)
	}
}
