package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"talaash/devdata"
	"talaash/match/matchscore"
)

// TestMatchQuality holds the matcher to its quality bar through the
// CLI, as an operator would check it: import the development set without
// alerts, print the pairs with `talaash matches --json`, and score them with
// the scorer.
func TestMatchQuality(t *testing.T) {

	db := filepath.Join(t.TempDir(), "talaash.db")
	run := func(stdout io.Writer, args ...string) {
		t.Helper()
		var errb bytes.Buffer
		m := NewMain()
		m.Stdin, m.Stdout, m.Stderr = strings.NewReader(""), stdout, &errb
		m.Logger = slog.New(slog.NewTextHandler(&errb, nil))
		m.Getenv = func(k string) string { return map[string]string{"TALAASH_DB": db}[k] }
		err := m.Run(context.Background(), args)
		if cerr := m.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			t.Fatalf("talaash %s: %v\n%s", strings.Join(args, " "), err, errb.String())
		}
	}
	run(io.Discard, "import", "--no-alerts", casesFile)

	pairs := filepath.Join(t.TempDir(), "pairs.jsonl")
	f, err := os.Create(pairs)
	if err != nil {
		t.Fatal(err)
	}
	run(f, "matches", "--json")
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	if st, _ := os.Stat(pairs); st == nil || st.Size() == 0 {
		t.Fatal("matches --json printed nothing")
	}

	res, err := matchscore.Files(devdata.TruthFile, pairs)
	if err != nil {
		t.Fatal(err)
	}
	t.Log(res)
	if short := res.Short(matchscore.Mins{Recall5: 0.90, Precision: 0.90, AlertRecall: 0.55}); len(short) > 0 {
		t.Fatalf("below the quality bar: %v", short)
	}
}
