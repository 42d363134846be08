package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestGazetteer: with no TALAASH_PLACES the embedded Kanpur gazetteer is in
// use; a file given there replaces it; the startup log names which and how
// many places it holds.
func TestGazetteer(t *testing.T) {
	r := talaashRun(t, tempDB(t), "", "import", "-")
	if r.err != nil {
		t.Fatal(r.err, r.stderr)
	}
	if !strings.Contains(r.stderr, `source="embedded Kanpur gazetteer" places=29`) {
		t.Errorf("startup log lacks the embedded gazetteer:\n%s", r.stderr)
	}

	csv := filepath.Join(t.TempDir(), "places.csv")
	os.WriteFile(csv, []byte("key,name_en,name_hi,lat,lon,kind,aliases\n"+
		"gumti,Gumti No 5,गुमटी नंबर 5,26.47,80.33,area,Gumti\n"+
		"rawatpur,Rawatpur,रावतपुर,26.49,80.30,area,\n"), 0o644)
	db := tempDB(t)
	r = talaashRun(t, db, "", func(m *Main) {
		get := m.Getenv
		m.Getenv = func(k string) string {
			if k == "TALAASH_PLACES" {
				return csv
			}
			return get(k)
		}
	}, "import", "-")
	if r.err != nil {
		t.Fatal(r.err, r.stderr)
	}
	if !strings.Contains(r.stderr, "places=2") || !strings.Contains(r.stderr, "places.csv") {
		t.Errorf("startup log lacks the given gazetteer:\n%s", r.stderr)
	}
}
