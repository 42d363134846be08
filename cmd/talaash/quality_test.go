package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestMatchQuality holds the matcher to the issue-3 quality bar through the
// CLI, as an operator would check it: import the development set without
// alerts, print the pairs with `talaash matches --json`, and score them with
// the shared scorer.
func TestMatchQuality(t *testing.T) {
	shared := filepath.Join("..", "..", "..", "shared")
	scorer := filepath.Join(shared, "bench", "match-score")
	truth := filepath.Join(shared, "data", "match-dev", "truth.jsonl")
	for _, f := range []string{scorer, truth, casesFile} {
		if _, err := os.Stat(f); err != nil {
			t.Fatalf("shared data missing: %v", err)
		}
	}
	python, err := exec.LookPath("python3")
	if err != nil {
		t.Fatalf("python3 is needed to run the scorer: %v", err)
	}

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

	out, err := exec.Command(python, scorer, truth, pairs,
		"--min-recall5", "0.90", "--min-precision", "0.90", "--min-alert-recall", "0.55").CombinedOutput()
	t.Log(strings.TrimSpace(string(out)))
	if err != nil {
		t.Fatalf("below the quality bar: %v", err)
	}
}
