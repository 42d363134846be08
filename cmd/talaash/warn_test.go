package main

import (
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDeploymentWarnings: a deployment that cannot do its job says so at
// start: no officer to alert, a gazetteer of no places, no SMS channel; each
// warning goes once its cause is gone.
func TestDeploymentWarnings(t *testing.T) {
	empty := filepath.Join(t.TempDir(), "places.csv")
	if err := os.WriteFile(empty, []byte("key,name_en,name_hi,lat,lon,kind,aliases\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	warnings := func(env map[string]string) string {
		t.Helper()
		env["TALAASH_DB"] = tempDB(t)
		m := NewMain()
		m.Stdin, m.Stdout, m.Stderr = strings.NewReader(""), io.Discard, io.Discard
		m.Logger = slog.New(slog.DiscardHandler)
		m.Getenv = func(k string) string { return env[k] }
		defer m.Close()
		if err := m.Run(context.Background(), []string{"import", "-"}); err != nil {
			t.Fatal(err)
		}
		return strings.Join(m.deploymentWarnings(), "\n")
	}
	got := warnings(map[string]string{"TALAASH_PLACES": empty})
	for _, w := range []string{"no police enrolled", "no gazetteer loaded", "no SMS channel configured"} {
		if !strings.Contains(got, w) {
			t.Errorf("no warning %q:\n%s", w, got)
		}
	}
	got = warnings(map[string]string{"TALAASH_POLICE_SMS": "+919800000001"})
	if strings.Contains(got, "no police enrolled") || strings.Contains(got, "no gazetteer") || !strings.Contains(got, "no SMS channel") {
		t.Errorf("with an officer and the embedded gazetteer:\n%s", got)
	}
}
