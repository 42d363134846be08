package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"talaash"
	"talaash/bot/twilio/twiliotest"
	"talaash/stats"
	"talaash/store/bolt"
)

// runCommand runs one command against database db as a separate invocation would
// (its own Main, nothing shared with a running service but the files).
func runCommand(t *testing.T, db string, env map[string]string, args ...string) run {
	t.Helper()
	var out, errb bytes.Buffer
	m := NewMain()
	m.Stdout, m.Stderr = &out, &errb
	m.Logger = slog.New(slog.NewTextHandler(&errb, nil))
	m.Getenv = func(k string) string {
		if k == "TALAASH_DB" {
			return db
		}
		return env[k]
	}
	err := m.Run(context.Background(), args)
	if cerr := m.Close(); err == nil {
		err = cerr
	}
	code := exitCode(&errb, err)
	return run{out.String(), errb.String(), err, code}
}

// webhookAck is one webhook the service answered 200, and when the answer arrived.
type webhookAck struct {
	sid string
	at  time.Time
}

// TestBackupUnderLoad: signed SMS webhooks arrive from 8 senders at once
// while `talaash backup` copies the database through the running service;
// the copy, restored into a fresh file, holds every message acknowledged
// before the backup began.
func TestBackupUnderLoad(t *testing.T) {
	s := newService(t)
	// Some cases first, so the copy takes a while.
	if r := talaashRun(t, s.db, devLines(t, 500), "import", "--no-alerts", "-"); r.code != 0 {
		t.Fatal(r.stderr)
	}
	s.start(nil)
	target := "http://" + s.addr + "/twilio/sms"
	var (
		mu    sync.Mutex
		acks  []webhookAck
		stop  atomic.Bool
		wg    sync.WaitGroup
		fails atomic.Int64
	)
	client := &http.Client{Timeout: 10 * time.Second}
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; !stop.Load(); i++ {
				// A new sender every 10 messages: the per-sender limit drops a
				// flood from one number (answered, not stored) on purpose.
				from := fmt.Sprintf("+91981%02d%05d", g, i/10)
				sid := fmt.Sprintf("SMload%02d%026d", g, i)
				form := url.Values{"MessageSid": {sid}, "AccountSid": {e2eAccount}, "From": {from}, "To": {e2eFrom},
					"Body": {[]string{"hi", "1", "help", "status"}[i%4]}, "NumMedia": {"0"}}
				req, _ := http.NewRequest(http.MethodPost, target, strings.NewReader(form.Encode()))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				req.Header.Set("X-Twilio-Signature", twiliotest.Sign(e2eToken, target, form))
				resp, err := client.Do(req)
				if err != nil {
					fails.Add(1)
					continue
				}
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					fails.Add(1)
					continue
				}
				at := time.Now()
				mu.Lock()
				acks = append(acks, webhookAck{sid, at})
				mu.Unlock()
			}
		}()
	}
	count := func() int { mu.Lock(); defer mu.Unlock(); return len(acks) }
	waitFor(t, "webhooks to flow", 20*time.Second, func() bool { return count() >= 200 })

	copyPath := filepath.Join(t.TempDir(), "backup.db")
	began := time.Now()
	r := runCommand(t, s.db, nil, "backup", copyPath)
	took := time.Since(began)
	during := count()
	// Webhooks keep coming after the copy.
	waitFor(t, "webhooks after the backup", 20*time.Second, func() bool { return count() >= during+100 })
	stop.Store(true)
	wg.Wait()
	if r.code != 0 {
		t.Fatalf("backup: %s", r.stderr)
	}
	if !strings.Contains(r.stdout, "from the running service") {
		t.Errorf("backup did not go through the service: %s", r.stdout)
	}
	if fails.Load() > 0 {
		t.Errorf("%d webhooks failed during the backup", fails.Load())
	}
	fi, err := os.Stat(copyPath)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("backup file mode %v, want 0600", fi.Mode().Perm())
	}
	t.Logf("backup of %d bytes in %v with %d webhooks acknowledged before it, %d by its end, %d in all",
		fi.Size(), took.Round(time.Millisecond), len(ackedBefore(acks, began)), during, len(acks))

	fresh := filepath.Join(t.TempDir(), "fresh", "talaash.db")
	if r := runCommand(t, fresh, nil, "restore", copyPath); r.code != 0 {
		t.Fatalf("restore into a fresh file: %s", r.stderr)
	}
	db, err := bolt.Open(fresh)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	missing, later := 0, 0
	db.View(func(tx talaash.Tx) error {
		for _, a := range acks {
			_, ok := tx.Seen(talaash.ChannelSMS, a.sid)
			switch {
			case !ok && a.at.Before(began):
				missing++
				if missing < 5 {
					t.Errorf("message %s acknowledged %v before the backup is not in it", a.sid, began.Sub(a.at))
				}
			case ok && a.at.After(began.Add(took)):
				later++
			}
		}
		if v, _ := tx.Session("sms:+919810000000"); v == nil {
			t.Error("a sender's session is not in the copy")
		}
		return nil
	})
	if missing > 0 {
		t.Fatalf("%d acknowledged messages missing from the backup", missing)
	}
	// A turn committed before the copy began may be answered after it
	// ended; many such would mean the copy is not one moment.
	if later > len(acks)/10 {
		t.Errorf("%d messages acknowledged after the backup ended are in it", later)
	}
}

func ackedBefore(acks []webhookAck, t time.Time) []webhookAck {
	var out []webhookAck
	for _, a := range acks {
		if a.at.Before(t) {
			out = append(out, a)
		}
	}
	return out
}

// TestRestoreCommand: refused while the service runs and for a file that is
// not a backup, each with a clear message and nothing changed; a good copy
// replaces the database and the old one is kept beside it.
func TestRestoreCommand(t *testing.T) {
	s := newService(t)
	s.start(nil)
	s.sms(bystander, "hi")
	waitFor(t, "the admin socket", 5*time.Second, func() bool { _, err := os.Stat(socketPath(s.db)); return err == nil })
	if fi, _ := os.Stat(socketPath(s.db)); fi.Mode()&os.ModeSocket == 0 || fi.Mode().Perm() != 0o600 {
		t.Errorf("admin socket mode %v, want a socket of 0600", fi.Mode())
	}
	copyPath := filepath.Join(t.TempDir(), "backup.db")
	if r := runCommand(t, s.db, nil, "backup", copyPath); r.code != 0 {
		t.Fatal(r.stderr)
	}
	s.sighting(bystander, sightingText) // after the backup
	r := runCommand(t, s.db, nil, "restore", copyPath)
	if r.code != 1 || !strings.Contains(r.stderr, "restore refused: a talaash service is running on "+s.db+"; stop it first") {
		t.Errorf("restore while serving: %d %s", r.code, r.stderr)
	}
	s.stop()
	if _, err := os.Stat(socketPath(s.db)); err == nil {
		t.Error("admin socket left behind by a stopped service")
	}

	bad := filepath.Join(t.TempDir(), "notes.txt")
	os.WriteFile(bad, []byte("not a backup\n"), 0o600)
	r = runCommand(t, s.db, nil, "restore", bad)
	if r.code != 1 || !strings.Contains(r.stderr, "restore refused, nothing changed: "+bad+" is not a Talaash database") {
		t.Errorf("restore of a bad file: %d %s", r.code, r.stderr)
	}
	r = runCommand(t, s.db, nil, "restore", filepath.Join(t.TempDir(), "absent.db"))
	if r.code != 1 || !strings.Contains(r.stderr, "restore refused, nothing changed: no database at") {
		t.Errorf("restore of no file: %d %s", r.code, r.stderr)
	}
	if r := runCommand(t, s.db, nil, "restore"); r.code != 2 {
		t.Errorf("restore without a file: %d", r.code)
	}
	if got := countRecordsIn(t, s.db); got != 1 {
		t.Fatalf("refused restores changed the database: %d records", got)
	}

	r = runCommand(t, s.db, nil, "restore", copyPath)
	if r.code != 0 || !strings.Contains(r.stdout, "0 records") || !strings.Contains(r.stdout, "kept as "+s.db+".bak-") {
		t.Fatalf("restore: %d %s %s", r.code, r.stdout, r.stderr)
	}
	if got := countRecordsIn(t, s.db); got != 0 {
		t.Errorf("restored database has %d records, the backup none", got)
	}
	kept, _ := filepath.Glob(s.db + ".bak-*")
	if len(kept) != 1 || countRecordsIn(t, kept[0]) != 1 {
		t.Errorf("old database kept as %v", kept)
	}
	// The service starts on the restored file and carries on.
	s.start(nil)
	s.sighting(bystander, sightingText)
}

func countRecordsIn(t *testing.T, path string) int {
	t.Helper()
	sum, err := bolt.Verify(path)
	if err != nil {
		t.Fatal(err)
	}
	return sum.Total()
}

// TestCompactCommand: compact gives back the free pages of an imported file,
// keeps every record, and refuses while another process holds the file.
func TestCompactCommand(t *testing.T) {
	db := tempDB(t)
	if r := talaashRun(t, db, devLines(t, 400), "import", "--no-alerts", "-"); r.code != 0 {
		t.Fatal(r.stderr)
	}
	export := talaashRun(t, db, "", "export").stdout
	fi, _ := os.Stat(db)
	r := runCommand(t, db, nil, "compact")
	if r.code != 0 || !strings.Contains(r.stdout, "smaller") {
		t.Fatalf("compact: %s %s", r.stdout, r.stderr)
	}
	after, _ := os.Stat(db)
	if after.Size() >= fi.Size() {
		t.Errorf("compact: %d -> %d bytes", fi.Size(), after.Size())
	}
	t.Log(strings.TrimSpace(r.stdout))
	if got := talaashRun(t, db, "", "export").stdout; got != export {
		t.Error("records differ after compact")
	}

	// Retention without a service works on the file; a bad setting is refused.
	if r := runCommand(t, db, nil, "retention"); r.code != 0 || !strings.Contains(r.stdout, "retention through the file removed cases=0 ") {
		t.Errorf("retention on the file: %s %s", r.stdout, r.stderr)
	}
	if r := runCommand(t, db, map[string]string{"TALAASH_RETENTION": "0"}, "retention"); r.code != 1 || !strings.Contains(r.stderr, "TALAASH_RETENTION is \"0\": want a whole number of days") {
		t.Errorf("retention of 0 days: %d %s", r.code, r.stderr)
	}

	held, err := bolt.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	defer held.Close()
	r = runCommand(t, db, nil, "compact")
	if r.code != 1 || !strings.Contains(r.stderr, "compact needs the service stopped") {
		t.Errorf("compact of a held file: %d %s", r.code, r.stderr)
	}
}

// TestRetentionClockForward moves the service's clock: after 8 days idle
// sessions and counters go but a draft stays; after 400 days a reunited
// case loses its personal data yet counts in the figures as before, an open
// case keeps everything, the draft goes, and the audit log holds the counts.
func TestRetentionClockForward(t *testing.T) {
	s := newService(t)
	var offset atomic.Int64
	s.start(func(m *Main) {
		m.Now = func() time.Time { return time.Now().Add(time.Duration(offset.Load())) }
	})
	const officer = "+919898989898"
	reunited := s.report(4001, "AgACphoto4001")
	open := s.report(4002, "")
	s.tgUpdate(e2ePolice, "/reunited "+reunited, "", "")
	waitFor(t, "the case reunited", 10*time.Second, func() bool { return s.record(reunited).Status == talaash.StatusReunited })
	// An unfinished report: a draft in the session.
	s.step(4003, "/start", "", "", 1)
	s.step(4003, "", "lang:en", "", 1)
	s.step(4003, "", "menu:report", "", 2)
	s.step(4003, "Meena", "", "", 1)
	s.sms(bystander, "hi")
	s.sms(officer, "POLICE wrongcode")
	now := time.Now()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(s.m.DB.Update(func(tx talaash.Tx) error {
		must(tx.PutDeliveryStatus(&talaash.DeliveryStatus{MessageID: "SMold", Channel: "sms", Status: "delivered", At: now}))
		return tx.PutSent(&talaash.Sent{Key: "notify:" + open, Channel: "sms", To: bystander, SentID: "SMold", At: now})
	}))
	orig := s.record(reunited)
	figures := func() *stats.Report {
		var rep *stats.Report
		s.view(func(tx talaash.Tx) (err error) {
			rep, err = stats.Compute(tx, now.AddDate(2, 0, 0), time.UTC)
			return err
		})
		return rep
	}
	statsBefore := figures()
	sessions := func() map[string]bool {
		got := map[string]bool{}
		s.view(func(tx talaash.Tx) error {
			return tx.EachSession(func(key string, _ time.Time, _ []byte) error { got[key] = true; return nil })
		})
		return got
	}
	for _, k := range []string{"telegram:4001", "telegram:4003", "telegram:90001", "sms:" + bystander, "sms:" + officer} {
		if !sessions()[k] {
			t.Fatalf("no session %s before retention: %v", k, sessions())
		}
	}
	retention := func(days int) {
		t.Helper()
		offset.Store(int64(time.Duration(days) * 24 * time.Hour))
		r := runCommand(t, s.db, nil, "retention")
		if r.code != 0 || !strings.Contains(r.stdout, "through the running service") {
			t.Fatalf("retention at +%d days: %s %s", days, r.stdout, r.stderr)
		}
		t.Logf("+%d days: %s", days, strings.TrimSpace(r.stdout))
	}

	retention(8)
	got := sessions()
	if got["telegram:4001"] || got["sms:"+bystander] || got["sms:"+officer] || !got["telegram:4003"] || !got["telegram:90001"] {
		t.Errorf("sessions after 8 days: %v (want the draft and the officer's only)", got)
	}
	s.view(func(tx talaash.Tx) error {
		if a, _ := tx.Attempts("enrol:sms:" + officer); a.Count != 0 {
			t.Errorf("wrong-code counter kept after 8 days: %+v", a)
		}
		if _, err := tx.DeliveryStatus("SMold"); err != nil {
			t.Errorf("delivery status gone after 8 days: %v", err)
		}
		return nil
	})
	if r := s.record(reunited); r.Name == "" || r.Scrubbed != (time.Time{}) {
		t.Errorf("case scrubbed after 8 days: %+v", r)
	}

	retention(400)
	r := s.record(reunited)
	if r.Name != "" || r.Contact != nil || r.Photos != nil || r.Text != "" || r.Address != "" || r.Scrubbed.IsZero() {
		t.Errorf("reunited case keeps personal data: %+v", r)
	}
	lo, hi, _ := r.Ages()
	if r.Kind != talaash.KindMissing || r.Status != talaash.StatusReunited || r.Gender != "male" || lo != 8 || hi != 8 ||
		!r.Time.Equal(orig.Time) || !r.Created.Equal(orig.Created) || r.Clothes != orig.Clothes || len(r.History) != len(orig.History) {
		t.Errorf("reunited case lost its figures: %+v", r)
	}
	if want := s.m.Matcher.Extract(orig.Place).Place; r.Place != want {
		t.Errorf("place %q, want the gazetteer's %q", r.Place, want)
	}
	if o := s.record(open); o.Name != "Ravi Kumar" || o.Contact == nil || o.Contact.Phone != parentPhone || o.Address != "4002" || !o.Scrubbed.IsZero() {
		t.Errorf("open case changed: %+v", o)
	}
	if got := sessions(); got["telegram:4003"] || !got["telegram:90001"] {
		t.Errorf("sessions after 400 days: %v", got)
	}
	s.view(func(tx talaash.Tx) error {
		if _, err := tx.DeliveryStatus("SMold"); talaash.ErrorCode(err) != talaash.ENOTFOUND {
			t.Errorf("delivery status kept after 400 days: %v", err)
		}
		if _, err := tx.Sent("notify:"+open, "sms", bystander); talaash.ErrorCode(err) != talaash.ENOTFOUND {
			t.Errorf("delivery log kept after 400 days: %v", err)
		}
		var runs, scrubbed []string
		tx.AuditOf(RetentionRef, func(e *talaash.AuditEntry) error { runs = append(runs, e.Detail); return nil })
		tx.AuditOf(reunited, func(e *talaash.AuditEntry) error {
			if e.Officer == RetentionOfficer {
				scrubbed = append(scrubbed, e.Action+": "+e.Detail)
			}
			return nil
		})
		// At +8 days: the parents' two, the bystander's and the officer-to-be's
		// sessions, four counters (the sender's wrong codes and everyone's, the two
		// phones' messages per minute); at +400: the draft, the case, the statuses
		// (the delivery log also holds what the outbox sent the parent).
		if len(runs) != 2 || !strings.HasPrefix(runs[0], "cases=0 sessions=4 drafts=0 attempts=4 sent=0 delivery=0 ") ||
			!strings.HasPrefix(runs[1], "cases=1 sessions=1 drafts=1 attempts=0 sent=") || !strings.Contains(runs[1], " delivery=1 ") {
			t.Errorf("retention runs in the audit log: %q", runs)
		}
		if len(scrubbed) != 1 || !strings.Contains(scrubbed[0], "scrubbed: personal data removed: name, contact, address, photos") {
			t.Errorf("the case's audit log: %q", scrubbed)
		}
		return nil
	})
	statsAfter := figures()
	if fmt.Sprint(statsAfter.Counts) != fmt.Sprint(statsBefore.Counts) || statsAfter.All.Reported != statsBefore.All.Reported ||
		statsAfter.All.Reunited != statsBefore.All.Reunited || statsAfter.All.Recovered != statsBefore.All.Recovered ||
		fmt.Sprint(statsAfter.All.Days) != fmt.Sprint(statsBefore.All.Days) {
		t.Errorf("figures changed:\nbefore %+v\n after %+v", statsBefore, statsAfter)
	}
	// A third run finds nothing more and writes no audit entry.
	retention(401)
	s.stop()
	var st Stats
	if err := json.Unmarshal([]byte(talaashRun(t, s.db, "", "stats", "--json").stdout), &st); err != nil || st.Missing != 2 || st.Reunited != 1 || st.MedianOf != 1 {
		t.Errorf("talaash stats after retention: %+v %v", st, err)
	}
}

// A socket left by a killed service is replaced at the next start, and a
// backup reaches the new one.
func TestStaleAdminSocket(t *testing.T) {
	s := newService(t)
	os.MkdirAll(filepath.Dir(s.db), 0o700)
	ln, err := net.Listen("unix", socketPath(s.db))
	if err != nil {
		t.Fatal(err)
	}
	ln.(*net.UnixListener).SetUnlinkOnClose(false)
	ln.Close()
	s.start(nil)
	waitFor(t, "the admin socket", 5*time.Second, func() bool { return serviceRunning(s.db) })
	r := runCommand(t, s.db, nil, "backup", filepath.Join(t.TempDir(), "b.db"))
	if r.code != 0 || !strings.Contains(r.stdout, "from the running service") {
		t.Errorf("backup: %s %s", r.stdout, r.stderr)
	}
}

// A copy whose trailers are missing (the service failed mid-way) or differ
// (bytes lost on the way) is refused.
func TestBackupTrailers(t *testing.T) {
	body := []byte("bbolt pages")
	digest := func(b []byte) hash.Hash { h := sha256.New(); h.Write(b); return h }
	good := http.Header{}
	good.Set(trailerBytes, strconv.Itoa(len(body)))
	good.Set(trailerSHA256, hex.EncodeToString(digest(body).Sum(nil)))
	if err := checkTrailers(good, int64(len(body)), digest(body)); err != nil {
		t.Errorf("good copy refused: %v", err)
	}
	if err := checkTrailers(http.Header{}, int64(len(body)), digest(body)); err == nil || !strings.Contains(talaash.ErrorMessage(err), "failed during the backup") {
		t.Errorf("copy without trailers: %v", err)
	}
	short := body[:5]
	if err := checkTrailers(good, int64(len(short)), digest(short)); err == nil || !strings.Contains(talaash.ErrorMessage(err), "refused") {
		t.Errorf("short copy: %v", err)
	}
}
