package main

import (
	"fmt"
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
	oneByOne := func(m *Main) {
		m.BatchSize = 120
		m.Save = func(tx talaash.Tx, r *talaash.Record, alerts bool) error { return m.Cases.Save(tx, r, alerts) }
	}
	var out [2]string
	for k, opt := range []func(*Main){oneByOne, small} {
		db := tempDB(t)
		r := talaashRun(t, db, in, opt, "import", "--no-alerts", "-")
		if r.code != 0 || !strings.Contains(r.stderr, "stored 500, updated 1, rejected 0") {
			t.Fatalf("import %d: code %d %v\n%s", k, r.code, r.err, r.stderr)
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
	guilty := ""
	var calls, withAlerts int
	refuse := func(m *Main) {
		m.BatchSize = 25
		m.SaveBatch = func(tx talaash.Tx, rs []*talaash.Record, alerts bool) error {
			calls++
			if alerts {
				withAlerts++
			}
			for _, r := range rs {
				if r.Ref == guilty {
					return talaash.Errorf(talaash.ECONFLICT, "%s refused", r.Ref)
				}
			}
			return m.Cases.SaveBatch(tx, rs, alerts)
		}
	}
	var rec talaash.Record
	if err := jsonRecord(lines[6], &rec); err != nil {
		t.Fatal(err)
	}
	guilty = rec.Ref
	db := tempDB(t)
	r := talaashRun(t, db, strings.Join(lines, ""), refuse, "import", "--no-alerts", "-")
	if r.code != 1 || !strings.Contains(r.stderr, fmt.Sprintf("line 7: %s refused", guilty)) ||
		!strings.Contains(r.stderr, "stored 39, updated 0, rejected 1") {
		t.Fatalf("code %d\n%s", r.code, r.stderr)
	}
	// One failed batch of 25, its 25 records one at a time, the last batch of 15.
	if calls != 27 || withAlerts != 0 {
		t.Errorf("%d SaveBatch calls (%d with alerts), want 27 (0)", calls, withAlerts)
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
