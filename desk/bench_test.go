package desk

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"talaash"
	"talaash/alerts"
	"talaash/cases"
	"talaash/cases/casestest"
	"talaash/locales"
	"talaash/police"
	"talaash/store/bolt"
)

// BenchRecords is the size of the store the benchmarks search.
const BenchRecords = 100_000

var benchNames = []string{"Ramesh", "रमेश", "Sita", "सीता", "Anjali", "अंजलि", "Ravi Kumar", "रवि कुमार", "Pooja", "Mohd Arif", "Guddu", "Neha"}
var benchPlaces = []string{"Kanpur Central", "Jhakarkati bus stand", "कानपुर सेंट्रल", "Govind Nagar", "Kalyanpur", "Rawatpur crossing"}

// benchDB builds (once per run) a store of BenchRecords records in every
// kind and status, with 1,000 pending alerts, in the test's temp dir.
func benchDB(b *testing.B) (talaash.Store, *Server, *http.Cookie) {
	b.Helper()
	path := filepath.Join(b.TempDir(), "bench.db")
	db, err := bolt.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close(); os.Remove(path) })
	base := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	kinds := []talaash.Kind{talaash.KindMissing, talaash.KindMissing, talaash.KindSighting, talaash.KindFound}
	statuses := []talaash.Status{talaash.StatusOpen, talaash.StatusOpen, talaash.StatusMatched, talaash.StatusClosed, talaash.StatusReunited}
	var refs []string
	const batch = 5000
	for i := 0; i < BenchRecords; i += batch {
		err := db.Update(func(tx talaash.Tx) error {
			for j := i; j < i+batch; j++ {
				age := float64(3 + j%12)
				r := &talaash.Record{Kind: kinds[j%len(kinds)], Name: fmt.Sprintf("%s %d", benchNames[j%len(benchNames)], j/len(benchNames)),
					Place: benchPlaces[j%len(benchPlaces)], Age: &age, Clothes: "red shirt", Time: base.Add(time.Duration(j) * 5 * time.Minute),
					Created: base.Add(time.Duration(j) * 5 * time.Minute), Status: statuses[j%len(statuses)]}
				if err := tx.PutRecord(r); err != nil {
					return err
				}
				if r.Status == talaash.StatusOpen && len(refs) < 2000 {
					refs = append(refs, r.Ref)
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	roster := police.New(nil, nil, talaash.Known().PhoneChannels(), nil)
	err = db.Update(func(tx talaash.Tx) error {
		for i := 0; i+1 < len(refs); i += 2 {
			if err := tx.PutAlert(&talaash.Alert{Missing: refs[i], Sighting: refs[i+1], Score: 6, State: talaash.AlertPending, Created: base}); err != nil {
				return err
			}
		}
		pw, _ := bcrypt.GenerateFromPassword([]byte(password), bcrypt.MinCost)
		if err := tx.PutDeskAccount(&talaash.DeskAccount{Login: "verma", Password: string(pw), Name: "SI Verma"}); err != nil {
			return err
		}
		if err := roster.Enrol(tx, talaash.PoliceEntry{Channel: talaash.ChannelDesk, Address: "verma"}, base); err != nil {
			return err
		}
		return tx.PutDeskSession(&talaash.DeskSession{Hash: hash("tok"), Login: "verma", CSRF: "c", Expires: time.Now().Add(time.Hour)})
	})
	if err != nil {
		b.Fatal(err)
	}
	cs := &cases.Service{Matcher: &casestest.Matcher{}, Decide: func([]talaash.Candidate) {}}
	s := &Server{DB: db, Alerts: &alerts.Service{Cases: cs, Roster: roster, Channels: talaash.Known()}, Roster: roster, Places: locales.Places}
	s.Routes(http.NewServeMux())
	return db, s, &http.Cookie{Name: cookieSession, Value: "tok"}
}

func serveBench(b *testing.B, s *Server, c *http.Cookie, h handler, path string) {
	b.Helper()
	wrapped := s.auth(h)
	get := func() {
		req := httptest.NewRequest(http.MethodGet, path, nil)
		req.AddCookie(c)
		w := httptest.NewRecorder()
		wrapped(w, req)
		if w.Code != http.StatusOK {
			b.Fatalf("%s: %d %s", path, w.Code, w.Body.String())
		}
	}
	get() // the summaries are read once per change of a record: BenchmarkIndexLoad
	for b.Loop() {
		get()
	}
}

// BenchmarkSearchAfterChange is a search right after a record changed: the
// index reads only that record's summary.
func BenchmarkSearchAfterChange(b *testing.B) {
	db, s, c := benchDB(b)
	wrapped := s.auth(s.caseList)
	if err := db.View(func(tx talaash.Tx) error { return s.index.with(tx, func([]*entry, map[string]*entry) {}) }); err != nil {
		b.Fatal(err)
	}
	i := 0
	for b.Loop() {
		i++
		err := db.Update(func(tx talaash.Tx) error {
			return tx.PutRecord(&talaash.Record{Kind: talaash.KindFound, Name: fmt.Sprintf("Munna %d", i), Time: time.Now()})
		})
		if err != nil {
			b.Fatal(err)
		}
		req := httptest.NewRequest(http.MethodGet, "/desk/cases?q=munna", nil)
		req.AddCookie(c)
		w := httptest.NewRecorder()
		wrapped(w, req)
		if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), fmt.Sprintf("Munna %d", i)) {
			b.Fatalf("search after change: %d", w.Code)
		}
	}
}

// BenchmarkIndexLoad is the first search after a record changed: every
// summary read from the store and folded again.
func BenchmarkIndexLoad(b *testing.B) {
	db, s, _ := benchDB(b)
	for b.Loop() {
		s.index = index{}
		if err := db.View(func(tx talaash.Tx) error { return s.index.with(tx, func([]*entry, map[string]*entry) {}) }); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCaseSearch is the desk's search over 100,000 records, through
// its handler (search, access log, page).
func BenchmarkCaseSearch(b *testing.B) {
	_, s, c := benchDB(b)
	for _, q := range []struct{ name, query string }{
		{"name-latin", "q=ramesh"},
		{"name-devanagari", "q=" + url.QueryEscape("रमेश") + "&status=open"},
		{"place-kind-dates", "q=central&kind=missing&from=2025-03-01&to=2025-06-30"},
		{"ref", "q=" + url.QueryEscape("K-")},
		{"all-page-40", "page=40"},
	} {
		b.Run(q.name, func(b *testing.B) { serveBench(b, s, c, s.caseList, "/desk/cases?"+q.query) })
	}
}

// BenchmarkAlertList is the pending-alert list with 100,000 records and
// 1,000 pending alerts stored.
func BenchmarkAlertList(b *testing.B) {
	_, s, c := benchDB(b)
	serveBench(b, s, c, s.alertList, "/desk")
}

// BenchmarkFigures is the figures page over 100,000 records: one pass of
// package stats over every record, the monthly chart and the map.
func BenchmarkFigures(b *testing.B) {
	_, s, c := benchDB(b)
	serveBench(b, s, c, s.figures, "/desk/figures")
}

func TestBenchNamesFold(t *testing.T) {
	for _, n := range benchNames {
		if strings.TrimSpace(Fold(n)) == "" {
			t.Errorf("Fold(%q) is empty", n)
		}
	}
}
