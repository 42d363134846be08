// Package storetest is the contract of talaash.Store as tests: every store
// (the bbolt file, a PostgreSQL database) runs the same suite, so the
// packages above can rely on what the interface says rather than on one
// implementation.
package storetest

import (
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"sync"
	"testing"
	"time"

	"talaash"
)

// Run runs the whole contract against stores made by open, one fresh empty
// store per test; open must close it when t ends.
func Run(t *testing.T, open func(t *testing.T) talaash.Store) {
	tests := []struct {
		name string
		fn   func(t *testing.T, open func(t *testing.T) talaash.Store)
	}{
		{"RoundTripEveryField", testRoundTripEveryField},
		{"PutRecordValidates", testPutRecordValidates},
		{"NewRefsAndTolerantLookup", testNewRefsAndTolerantLookup},
		{"ImportedRefUpdatesInPlace", testImportedRefUpdatesInPlace},
		{"Indexes", testIndexes},
		{"WalkWhileWriting", testWalkWhileWriting},
		{"ConcurrentWriters", testConcurrentWriters},
		{"Outbox", testOutbox},
		{"SessionsSeenCandidates", testSessionsSeenCandidates},
		{"RollbackAndOnCommit", testRollbackAndOnCommit},
		{"Batch", testBatch},
		{"Alerts", testAlerts},
		{"Pairs", testPairs},
		{"Police", testPolice},
		{"Invites", testInvites},
		{"Requests", testRequests},
		{"Stopped", testStopped},
		{"Attempts", testAttempts},
		{"Sent", testSent},
		{"Delivery", testDelivery},
		{"Weekly", testWeekly},
		{"Audit", testAudit},
		{"RollbackEntries", testRollbackEntries},
		{"SessionTimes", testSessionTimes},
		{"PruneCounters", testPruneCounters},
		{"Scrub", testScrub},
		{"DeskAccountsSessions", testDeskAccountsSessions},
		{"Nonces", testNonces},
		{"Summaries", testSummaries},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.fn(t, open) })
	}
}

var ist = talaash.IST

// full returns a record with every field set.
func full() *talaash.Record {
	return &talaash.Record{
		Ref: "M000028", Kind: talaash.KindMissing, Language: "hi", Name: "सोनम राजपूत", Gender: "female",
		Age: talaash.Num(16), AgeMin: talaash.Num(15), AgeMax: talaash.Num(17), HeightCM: talaash.Num(150.5),
		Complex: "गेहुआं", Clothes: "red shirt, blue jeans", Marks: "mole on left cheek", Place: "Swaroop Nagar",
		Lat: talaash.Num(26.48738), Lon: talaash.Num(80.31032), Time: time.Date(2025, 6, 1, 21, 17, 19, 0, ist),
		Text: "ladki 16 saal", Contact: &talaash.Contact{Name: "guardian", Phone: "098176 85869"},
		Status: talaash.StatusMatched, Photos: []string{"file-1", "https://example.org/p.jpg"}, Station: "Kalyanpur",
		Safe: "yes", Channel: talaash.ChannelTelegram, Address: "12345", Scrubbed: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC),
		History: []talaash.Event{{At: time.Date(2025, 6, 2, 10, 0, 0, 0, time.UTC), By: "telegram:99", From: "open", To: "matched", Why: "photo"}},
	}
}

func jsonOf(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func testRoundTripEveryField(t *testing.T, open func(t *testing.T) talaash.Store) {
	db := open(t)
	r := full()
	if err := db.Update(func(tx talaash.Tx) error { return tx.PutRecord(r) }); err != nil {
		t.Fatal(err)
	}
	if r.ID != 1 || r.Created.IsZero() || r.Updated.IsZero() {
		t.Fatalf("id/created/updated not assigned: %d %v %v", r.ID, r.Created, r.Updated)
	}
	if r.Contact.Phone != "+919817685869" {
		t.Fatalf("phone not normalised: %q", r.Contact.Phone)
	}
	var got *talaash.Record
	if err := db.View(func(tx talaash.Tx) (err error) { got, err = tx.Record("M000028"); return }); err != nil {
		t.Fatal(err)
	}
	if got.ID != r.ID {
		t.Fatalf("ID %d, want %d", got.ID, r.ID)
	}
	if a, b := jsonOf(t, got), jsonOf(t, r); a != b {
		t.Fatalf("round trip differs:\n got %s\nwant %s", a, b)
	}
	// Every field must have been non-zero, or the test proves less than it claims.
	var m map[string]any
	json.Unmarshal([]byte(jsonOf(t, got)), &m)
	if len(m) != 28 {
		t.Fatalf("record JSON has %d fields, want all 28: %v", len(m), m)
	}
}

func testPutRecordValidates(t *testing.T, open func(t *testing.T) talaash.Store) {
	db := open(t)
	r := full()
	r.Age = talaash.Num(30)
	err := db.Update(func(tx talaash.Tx) error { return tx.PutRecord(r) })
	if talaash.ErrorCode(err) != talaash.EINVALID {
		t.Fatalf("got %v, want EINVALID", err)
	}
	db.View(func(tx talaash.Tx) error {
		if n := tx.CountRecords(); n != 0 {
			t.Errorf("count %d after rejected put", n)
		}
		return nil
	})
}

func testNewRefsAndTolerantLookup(t *testing.T, open func(t *testing.T) talaash.Store) {
	db := open(t)
	refRE := regexp.MustCompile(`^K-[1-9][0-9]{3,6}-[0-9]$`)
	seen := map[string]bool{}
	var first *talaash.Record
	err := db.Update(func(tx talaash.Tx) error {
		for i := 0; i < 300; i++ {
			r := &talaash.Record{Kind: talaash.KindSighting, Time: time.Now()}
			if err := tx.PutRecord(r); err != nil {
				return err
			}
			if !refRE.MatchString(r.Ref) || !talaash.CheckRef(r.Ref) {
				t.Fatalf("bad ref %q", r.Ref)
			}
			if seen[r.Ref] {
				t.Fatalf("duplicate ref %q", r.Ref)
			}
			seen[r.Ref] = true
			if r.Status != talaash.StatusOpen {
				t.Fatalf("status %q, want open", r.Status)
			}
			if first == nil {
				first = r
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	c := talaash.CanonicalRef(first.Ref) // "K48217"
	digits := c[1:]
	forms := []string{first.Ref, c, " k" + digits + " ", "k-" + digits[:len(digits)-1] + " " + digits[len(digits)-1:], digits}
	db.View(func(tx talaash.Tx) error {
		for _, f := range forms {
			r, err := tx.Record(f)
			if err != nil || r.Ref != first.Ref {
				t.Errorf("Record(%q) = %v, %v; want %s", f, r, err, first.Ref)
			}
		}
		// Wrong check digit, unknown ref, empty ref: ENOTFOUND.
		bad := c[:len(c)-1] + string('0'+(c[len(c)-1]-'0'+1)%10)
		for _, f := range []string{bad, "K-1-0", "M999999", ""} {
			if _, err := tx.Record(f); talaash.ErrorCode(err) != talaash.ENOTFOUND {
				t.Errorf("Record(%q) err %v, want ENOTFOUND", f, err)
			}
		}
		return nil
	})
	if talaash.CheckRef("K-4821-4") || !talaash.CheckRef("K-4821-5") || !talaash.CheckRef("48215") {
		t.Error("CheckRef wrong on K-4821-x")
	}
}

func testImportedRefUpdatesInPlace(t *testing.T, open func(t *testing.T) talaash.Store) {
	db := open(t)
	r := full()
	must(t, db.Update(func(tx talaash.Tx) error { return tx.PutRecord(r) }))
	created := r.Created
	time.Sleep(2 * time.Millisecond)
	again := full()
	again.Ref = "m-000028" // tolerated form of the same ref
	again.Status, again.History = "", nil
	again.Clothes = "green kurta"
	must(t, db.Update(func(tx talaash.Tx) error { return tx.PutRecord(again) }))
	if again.ID != r.ID || !again.Created.Equal(created) || again.Ref != "M000028" || !again.Updated.After(r.Updated) {
		t.Fatalf("update: id %d created %v ref %q updated %v", again.ID, again.Created, again.Ref, again.Updated)
	}
	if again.Status != talaash.StatusMatched || len(again.History) != 1 {
		t.Fatalf("empty status/history must keep stored ones: %q %v", again.Status, again.History)
	}
	db.View(func(tx talaash.Tx) error {
		if n := tx.CountRecords(); n != 1 {
			t.Errorf("count %d, want 1", n)
		}
		if !tx.HasRecord("m 000028") || tx.HasRecord("M000029") || tx.HasRecord("") {
			t.Error("HasRecord wrong")
		}
		got, _ := tx.Record("M000028")
		if got.Clothes != "green kurta" {
			t.Errorf("clothes %q", got.Clothes)
		}
		// The old kind+status entry is gone, not duplicated.
		n := 0
		tx.RecordsBy(talaash.KindMissing, "", func(*talaash.Record) error { n++; return nil })
		if n != 1 {
			t.Errorf("kind index has %d entries, want 1", n)
		}
		return nil
	})
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func refsOf(t *testing.T, each func(fn func(*talaash.Record) error) error) []string {
	t.Helper()
	var refs []string
	must(t, each(func(r *talaash.Record) error { refs = append(refs, r.Ref); return nil }))
	return refs
}

func testIndexes(t *testing.T, open func(t *testing.T) talaash.Store) {
	db := open(t)
	base := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	recs := []*talaash.Record{
		{Ref: "A1", Kind: "missing", Time: base.Add(2 * time.Hour), Channel: "sms", Address: "+919876543210"},
		{Ref: "A2", Kind: "missing", Time: base.Add(1 * time.Hour), Channel: "sms", Address: "+919876543210"},
		{Ref: "A3", Kind: "missing", Time: base.Add(3 * time.Hour), Status: "reunited"},
		{Ref: "A4", Kind: "sighting", Time: base.Add(30 * time.Minute), Channel: "telegram", Address: "42"},
		{Ref: "A5", Kind: "found", Time: base.Add(-24 * time.Hour), Channel: "sms", Address: "+919876543211"},
		{Ref: "A6", Kind: "missing", Time: time.Date(1965, 1, 1, 0, 0, 0, 0, time.UTC)},
	}
	must(t, db.Update(func(tx talaash.Tx) error {
		for _, r := range recs {
			if err := tx.PutRecord(r); err != nil {
				return err
			}
		}
		return nil
	}))
	check := func(name string, got []string, want ...string) {
		t.Helper()
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%s: got %v, want %v", name, got, want)
		}
	}
	db.View(func(tx talaash.Tx) error {
		check("each", refsOf(t, tx.EachRecord), "A1", "A2", "A3", "A4", "A5", "A6")
		check("missing open", refsOf(t, func(fn func(*talaash.Record) error) error {
			return tx.RecordsBy("missing", "open", fn)
		}), "A1", "A2", "A6")
		check("missing any", refsOf(t, func(fn func(*talaash.Record) error) error {
			return tx.RecordsBy("missing", "", fn)
		}), "A3", "A1", "A2", "A6")
		check("missing reunited", refsOf(t, func(fn func(*talaash.Record) error) error {
			return tx.RecordsBy("missing", "reunited", fn)
		}), "A3")
		check("between", refsOf(t, func(fn func(*talaash.Record) error) error {
			return tx.RecordsBetween(base, base.Add(2*time.Hour), fn) // end excluded
		}), "A4", "A2")
		check("since 1900", refsOf(t, func(fn func(*talaash.Record) error) error {
			return tx.RecordsBetween(time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC), base, fn)
		}), "A6", "A5")
		check("open end", refsOf(t, func(fn func(*talaash.Record) error) error {
			return tx.RecordsBetween(base.Add(2*time.Hour), time.Time{}, fn)
		}), "A1", "A3")
		check("reporter", refsOf(t, func(fn func(*talaash.Record) error) error {
			return tx.RecordsByReporter("sms", "+919876543210", fn)
		}), "A1", "A2")
		check("reporter none", refsOf(t, func(fn func(*talaash.Record) error) error {
			return tx.RecordsByReporter("sms", "+91987654321", fn) // a prefix of another address
		}))
		return nil
	})

	// SetStatus moves the record between kind+status entries and audits it.
	at := base.Add(48 * time.Hour)
	must(t, db.Update(func(tx talaash.Tx) error {
		r, err := tx.SetStatus("a1", talaash.StatusReunited, "telegram:7", "family came", at)
		if err != nil {
			return err
		}
		if r.Status != "reunited" || len(r.History) != 1 || r.History[0].From != "open" || !r.History[0].At.Equal(at) || r.History[0].By != "telegram:7" {
			t.Errorf("SetStatus record: %+v", r)
		}
		if _, err := tx.SetStatus("nope", talaash.StatusClosed, "x", "", at); talaash.ErrorCode(err) != talaash.ENOTFOUND {
			t.Errorf("SetStatus unknown: %v", err)
		}
		if _, err := tx.SetStatus("A2", "lost", "x", "", at); talaash.ErrorCode(err) != talaash.EINVALID {
			t.Errorf("SetStatus bad status: %v", err)
		}
		return nil
	}))
	db.View(func(tx talaash.Tx) error {
		check("after SetStatus", refsOf(t, func(fn func(*talaash.Record) error) error {
			return tx.RecordsBy("missing", "reunited", fn)
		}), "A3", "A1")
		r, _ := tx.Record("A1")
		if len(r.History) != 1 {
			t.Errorf("history not stored: %v", r.History)
		}
		return nil
	})
}

// fn may change records while a walk is under way.
func testWalkWhileWriting(t *testing.T, open func(t *testing.T) talaash.Store) {
	db := open(t)
	must(t, db.Update(func(tx talaash.Tx) error {
		for i := 0; i < 50; i++ {
			if err := tx.PutRecord(&talaash.Record{Kind: "missing", Time: time.Now()}); err != nil {
				return err
			}
		}
		return nil
	}))
	n := 0
	must(t, db.Update(func(tx talaash.Tx) error {
		return tx.RecordsBy("missing", "open", func(r *talaash.Record) error {
			n++
			_, err := tx.SetStatus(r.Ref, talaash.StatusClosed, "system", "test", time.Now())
			return err
		})
	}))
	db.View(func(tx talaash.Tx) error {
		c := 0
		tx.RecordsBy("missing", "closed", func(*talaash.Record) error { c++; return nil })
		if n != 50 || c != 50 {
			t.Errorf("walked %d, closed %d, want 50", n, c)
		}
		return nil
	})
}

func testConcurrentWriters(t *testing.T, open func(t *testing.T) talaash.Store) {
	db := open(t)
	var wg sync.WaitGroup
	const writers, each = 8, 25
	errs := make(chan error, writers)
	for w := 0; w < writers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; i < each; i++ {
				err := db.Update(func(tx talaash.Tx) error {
					if err := tx.PutRecord(&talaash.Record{Kind: "sighting", Time: time.Now(), Channel: "sms", Address: fmt.Sprint(w)}); err != nil {
						return err
					}
					return tx.PutAttempts(fmt.Sprint(w), talaash.Attempts{Count: i})
				})
				if err != nil {
					errs <- err
					return
				}
				db.View(func(tx talaash.Tx) error { tx.CountRecords(); return nil })
			}
		}(w)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	db.View(func(tx talaash.Tx) error {
		refs := map[string]bool{}
		tx.EachRecord(func(r *talaash.Record) error { refs[r.Ref] = true; return nil })
		if tx.CountRecords() != writers*each || len(refs) != writers*each {
			t.Errorf("count %d, distinct refs %d, want %d", tx.CountRecords(), len(refs), writers*each)
		}
		return nil
	})
}

func testOutbox(t *testing.T, open func(t *testing.T) talaash.Store) {
	db := open(t)
	must(t, db.Update(func(tx talaash.Tx) error {
		for i := 0; i < 3; i++ {
			it := &talaash.OutboxItem{Kind: "alert", Key: fmt.Sprintf("alert:M%d:S1", i), Msg: talaash.Outbound{Channel: "sms", To: "+919876543210", Text: "hi", Choices: []talaash.Choice{{Label: "Yes", Data: "y"}}}}
			if err := tx.Enqueue(it); err != nil {
				return err
			}
			if it.ID != uint64(i+1) || it.Created.IsZero() || it.Due.IsZero() {
				t.Errorf("enqueue: %+v", it)
			}
		}
		return nil
	}))
	must(t, db.Update(func(tx talaash.Tx) error {
		return tx.EachOutbox(func(it *talaash.OutboxItem) error {
			switch it.ID {
			case 1:
				return tx.DeleteOutbox(it.ID)
			case 2:
				it.Attempts, it.LastError, it.SentID = 2, "throttled", "SM1"
				return tx.PutOutbox(it)
			}
			return nil
		})
	}))
	var got []*talaash.OutboxItem
	db.View(func(tx talaash.Tx) error {
		return tx.EachOutbox(func(it *talaash.OutboxItem) error { got = append(got, it); return nil })
	})
	if len(got) != 2 || got[0].ID != 2 || got[0].Attempts != 2 || got[0].SentID != "SM1" || got[1].Key != "alert:M2:S1" || got[1].Msg.Choices[0].Data != "y" {
		t.Fatalf("outbox: %s", jsonOf(t, got))
	}
	if err := db.Update(func(tx talaash.Tx) error { return tx.PutOutbox(&talaash.OutboxItem{}) }); talaash.ErrorCode(err) != talaash.EINVALID {
		t.Fatalf("PutOutbox without id: %v", err)
	}
}

func testSessionsSeenCandidates(t *testing.T, open func(t *testing.T) talaash.Store) {
	db := open(t)
	now := time.Now()
	must(t, db.Update(func(tx talaash.Tx) error {
		if v, err := tx.Session("sms:+91"); v != nil || err != nil {
			t.Errorf("missing session: %v %v", v, err)
		}
		must(t, tx.PutSession("sms:+91", []byte(`{"state":"age"}`)))
		must(t, tx.PutSession("telegram:1", []byte("x")))
		must(t, tx.DeleteSession("telegram:1"))
		must(t, tx.DeleteSession("telegram:nope"))

		if _, ok := tx.Seen("sms", "SM1"); ok {
			t.Error("unseen id reported seen")
		}
		must(t, tx.MarkSeen("sms", "SM1", []byte("reply"), now.Add(-time.Hour)))
		must(t, tx.MarkSeen("telegram", "SM1", nil, now))

		must(t, tx.PutCandidates("K-4821-5", []talaash.Candidate{{Missing: "K-4821-5", Sighting: "S1", Score: 0.9, Alert: true, Reasons: []talaash.Reason{{En: "same mole", Hi: "वही तिल", Latn: "wahi mole"}}}}))
		must(t, tx.PutCandidates("M2", []talaash.Candidate{{Missing: "M2", Sighting: "S2", Score: 0.5}}))
		must(t, tx.PutCandidates("M3", []talaash.Candidate{{Missing: "M3", Sighting: "S3"}}))
		must(t, tx.PutCandidates("M3", nil))

		return nil
	}))
	db.View(func(tx talaash.Tx) error {
		if v, _ := tx.Session("sms:+91"); string(v) != `{"state":"age"}` {
			t.Errorf("session %q", v)
		}
		if v, _ := tx.Session("telegram:1"); v != nil {
			t.Errorf("deleted session %q", v)
		}
		if v, ok := tx.Seen("sms", "SM1"); !ok || string(v) != "reply" {
			t.Errorf("seen sms: %q %v", v, ok)
		}
		if v, ok := tx.Seen("telegram", "SM1"); !ok || len(v) != 0 {
			t.Errorf("seen telegram: %q %v", v, ok)
		}
		if c, _ := tx.Candidates("k48215"); len(c) != 1 || c[0].Reasons[0].Hi != "वही तिल" || c[0].Reasons[0].Latn != "wahi mole" || !c[0].Alert {
			t.Errorf("candidates %+v", c)
		}
		if c, _ := tx.Candidates("M3"); c != nil {
			t.Errorf("removed candidates %+v", c)
		}
		var refs []string
		tx.EachCandidates(func(ref string, c []talaash.Candidate) error { refs = append(refs, ref); return nil })
		if fmt.Sprint(refs) != "[K-4821-5 M2]" {
			t.Errorf("EachCandidates refs %v", refs)
		}
		if tx.Writable() {
			t.Error("View tx writable")
		}
		return nil
	})
	must(t, db.Update(func(tx talaash.Tx) error {
		n, err := tx.PruneSeen(now.Add(-time.Minute))
		if n != 1 || err != nil {
			t.Errorf("pruned %d %v", n, err)
		}
		return nil
	}))
	db.View(func(tx talaash.Tx) error {
		if _, ok := tx.Seen("sms", "SM1"); ok {
			t.Error("pruned id still seen")
		}
		if _, ok := tx.Seen("telegram", "SM1"); !ok {
			t.Error("recent id pruned")
		}
		return nil
	})
}

func testRollbackAndOnCommit(t *testing.T, open func(t *testing.T) talaash.Store) {
	db := open(t)
	committed := 0
	boom := errors.New("boom")
	err := db.Update(func(tx talaash.Tx) error {
		tx.OnCommit(func() { committed++ })
		if err := tx.PutRecord(&talaash.Record{Ref: "X1", Kind: "found", Time: time.Now()}); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) || committed != 0 {
		t.Fatalf("err %v committed %d", err, committed)
	}
	db.View(func(tx talaash.Tx) error {
		if _, err := tx.Record("X1"); talaash.ErrorCode(err) != talaash.ENOTFOUND || tx.CountRecords() != 0 {
			t.Errorf("rolled-back record visible: %v", err)
		}
		return nil
	})
	must(t, db.Update(func(tx talaash.Tx) error {
		tx.OnCommit(func() { committed++ })
		if !tx.Writable() {
			t.Error("Update tx not writable")
		}
		return nil
	}))
	if committed != 1 {
		t.Fatalf("OnCommit ran %d times", committed)
	}
}
