package main

import (
	"fmt"
	"log/slog"
	"os"
	"strings"
	"testing"

	"talaash"
	"talaash/recordfile"
)

// devLines returns the first n lines of the development set.
func devLines(t *testing.T, n int) string {
	t.Helper()
	all, err := os.ReadFile(casesFile)
	if err != nil {
		t.Fatal(err)
	}
	return strings.Join(strings.SplitAfterN(string(all), "\n", n+1)[:n], "")
}

// Import matches a batch on every core (cases.Service.SaveBatch) and must
// leave exactly what saving one record at a time leaves: the same pairs,
// scores, reasons and alert decisions from `talaash matches --json`.
func TestImportBatchSameAsOneByOne(t *testing.T) {
	lines := strings.SplitAfter(devLines(t, 500), "\n")
	// A line re-sent with an edit in the same transaction updates the record
	// it names there (and splits the batch's matching ahead).
	again := strings.Replace(lines[49], `"clothes": "`, `"clothes": "red shirt, `, 1)
	in := strings.Join(lines[:100], "") + again + strings.Join(lines[100:], "")
	small := func(m *Main) { m.BatchSize = 120 }
	var out [2]string
	for k := range out {
		db := tempDB(t)
		if k == 0 {
			if stored, updated := saveOneByOne(t, db, in, 120); stored != 500 || updated != 1 {
				t.Fatalf("one by one: stored %d, updated %d, want 500 and 1", stored, updated)
			}
		} else if r := talaashRun(t, db, in, small, "import", "--no-alerts", "-"); r.code != 0 || !strings.Contains(r.stderr, "stored 500, updated 1, rejected 0") {
			t.Fatalf("import: code %d %v\n%s", r.code, r.err, r.stderr)
		}
		m := talaashRun(t, db, "", "matches", "--json")
		if m.code != 0 {
			t.Fatalf("matches: %s", m.stderr)
		}
		out[k] = m.stdout
	}
	if n := strings.Count(out[0], "\n"); n < 500 || !strings.Contains(out[0], `"alert":true`) {
		t.Fatalf("too few pairs to compare (%d) or no alert", n)
	}
	if out[0] != out[1] {
		a, b := strings.Split(out[0], "\n"), strings.Split(out[1], "\n")
		for i := range min(len(a), len(b)) {
			if a[i] != b[i] {
				t.Fatalf("pair %d differs:\none by one %s\nbatch      %s", i+1, a[i], b[i])
			}
		}
		t.Fatalf("%d pairs one by one, %d by batch", len(a), len(b))
	}
}

// A batch that fails in matching (a hook error, say) loses only the guilty
// line: the batch is retried a record at a time through the same batch path,
// and the good records are stored and matched.
func TestImportBatchFailureIsolated(t *testing.T) {
	lines := strings.SplitAfter(devLines(t, 40), "\n")
	var rec talaash.Record
	if err := jsonRecord(lines[6], &rec); err != nil {
		t.Fatal(err)
	}
	guilty := rec.Ref
	db := tempDB(t)
	fs := &faultStore{refuse: guilty}
	small := func(m *Main) { m.BatchSize = 25 }
	r := talaashRun(t, db, strings.Join(lines, ""), small, withFaultStore(t, db, fs), "import", "--no-alerts", "-")
	if r.code != 1 || !strings.Contains(r.stderr, fmt.Sprintf("line 7: %s refused", guilty)) ||
		!strings.Contains(r.stderr, "stored 39, updated 0, rejected 1") {
		t.Fatalf("code %d\n%s", r.code, r.stderr)
	}
	// One failed batch of 25, its 25 records one at a time, the last batch of
	// 15; and no alert queued.
	if fs.updates != 27 || fs.alerts != 0 {
		t.Errorf("%d transactions (%d alerts), want 27 (0)", fs.updates, fs.alerts)
	}
	m := talaashRun(t, db, "", "matches", "--json")
	if m.code != 0 || strings.Count(m.stdout, "\n") == 0 || strings.Contains(m.stdout, `"`+guilty+`"`) {
		t.Errorf("matches after the failure (want pairs, none with %s):\n%s", guilty, m.stdout)
	}
}

func jsonRecord(line string, r *talaash.Record) error {
	p, err := recordfile.ParseRecord([]byte(strings.TrimSpace(line)))
	if err == nil {
		*r = *p
	}
	return err
}

// saveOneByOne stores and matches the JSON lines in through
// cases.Service.Save, one record after another, batch records a transaction,
// and counts what is new and what updates, as import does.
func saveOneByOne(t *testing.T, db, in string, batch int) (stored, updated int) {
	t.Helper()
	m := NewMain()
	m.Logger = slog.New(slog.DiscardHandler)
	m.Config = ConfigFromEnv(func(k string) string { return map[string]string{"TALAASH_DB": db}[k] })
	defer m.Close()
	if err := m.openMatching(); err != nil {
		t.Fatal(err)
	}
	var rs []*talaash.Record
	for _, line := range strings.Split(in, "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		r, err := recordfile.ParseRecord([]byte(line))
		if err != nil {
			t.Fatal(err)
		}
		rs = append(rs, r)
	}
	for len(rs) > 0 {
		n := min(batch, len(rs))
		err := m.DB.Update(func(tx talaash.Tx) error {
			for _, r := range rs[:n] {
				if tx.HasRecord(r.Ref) {
					updated++
				} else {
					stored++
				}
				if err := m.Cases.Save(tx, r, false); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		rs = rs[n:]
	}
	return stored, updated
}
