package desk

import (
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"

	"talaash"
	"talaash/translit"
)

// Fold is the form names and places are compared in across scripts: the
// Latin reading of Devanagari (translit.Latin), lower case, its consonant
// skeleton with the spellings Hindi names vary in folded together ("Ramesh",
// "Rameesh", "रमेश" -> "rms"). A leading vowel stays, so "Anil" is not "Nil".
func Fold(s string) string {
	if talaash.Devanagari(s) {
		s = translit.Latin(s)
	}
	s = strings.ToLower(s)
	var b strings.Builder
	var last rune
	start := true
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z':
		case r >= '0' && r <= '9':
		case unicode.IsLetter(r):
		default:
			if !start {
				b.WriteByte(' ')
			}
			start, last = true, ' '
			continue
		}
		switch r {
		case 'w':
			r = 'v'
		case 'z':
			r = 'j'
		case 'q':
			r = 'k'
		case 'y':
			if !start {
				r = 'i'
			}
		}
		vowel := strings.ContainsRune("aeiou", r)
		if r == 'h' && !start && last != ' ' && !strings.ContainsRune("aeiou", last) {
			continue // kh, bh, sh, th: aspirates and "sh" fold into their consonant
		}
		if vowel && !start {
			last = r
			continue
		}
		if r == last {
			continue
		}
		b.WriteRune(r)
		last, start = r, false
	}
	return strings.TrimSpace(b.String())
}

// query is a case search.
type query struct {
	Q, Kind, Status string
	From, To        string // YYYY-MM-DD, IST, on the day the record was made
	Page            int

	from, to time.Time
	fold     string
	ref      string
}

// PageSize is how many cases a page of the search shows.
const PageSize = 25

// parseQuery reads a search from the URL; a bad date is a message id.
func parseQuery(v url.Values) (query, string) {
	q := query{Q: strings.TrimSpace(v.Get("q")), Kind: v.Get("kind"), Status: v.Get("status"),
		From: strings.TrimSpace(v.Get("from")), To: strings.TrimSpace(v.Get("to"))}
	q.Page, _ = strconv.Atoi(v.Get("page"))
	if q.Page < 1 {
		q.Page = 1
	}
	if q.Kind != "" && !talaash.Kind(q.Kind).Valid() {
		return q, "desk.err.kind"
	}
	switch q.Status {
	case "", "active", "open", "matched", "reunited", "closed":
	default:
		return q, "desk.err.status"
	}
	var err error
	if q.From != "" {
		if q.from, err = time.ParseInLocation("2006-01-02", q.From, talaash.IST); err != nil {
			return q, "desk.err.date"
		}
	}
	if q.To != "" {
		if q.to, err = time.ParseInLocation("2006-01-02", q.To, talaash.IST); err != nil {
			return q, "desk.err.date"
		}
		q.to = q.to.AddDate(0, 0, 1)
	}
	if !q.from.IsZero() && !q.to.IsZero() && !q.from.Before(q.to) {
		return q, "desk.err.date_order"
	}
	if q.Q != "" {
		q.fold = Fold(q.Q)
		q.ref = talaash.CanonicalRef(q.Q)
	}
	return q, ""
}

func (q *query) match(e *entry) bool {
	s := e.s
	if q.Kind != "" && string(s.Kind) != q.Kind {
		return false
	}
	switch q.Status {
	case "":
	case "active":
		if !s.Status.Active() {
			return false
		}
	default:
		if string(s.Status) != q.Status {
			return false
		}
	}
	if !q.from.IsZero() && s.Created.Before(q.from) {
		return false
	}
	if !q.to.IsZero() && !s.Created.Before(q.to) {
		return false
	}
	if q.Q == "" {
		return true
	}
	if q.ref != "" && strings.Contains(e.ref, q.ref) {
		return true
	}
	if q.fold == "" {
		return false
	}
	return strings.Contains(e.name, q.fold) || strings.Contains(e.place, q.fold)
}

// entry is a summary with its search keys folded once.
type entry struct {
	s                *talaash.RecordSummary
	ref, name, place string
}

func newEntry(s *talaash.RecordSummary) *entry {
	e := &entry{s: s, ref: talaash.CanonicalRef(s.Ref)}
	if s.Name != "" {
		e.name = Fold(s.Name)
	}
	if s.Place != "" {
		e.place = Fold(s.Place)
	}
	return e
}

// index keeps every record's summary in memory, folded: a search walks a
// slice instead of the store. It reads everything once, then only the
// summaries changed since (SummaryChanges).
type index struct {
	mu      sync.Mutex
	built   bool
	version uint64
	rows    []*entry // newest first; s nil once gone
	byKey   map[string]*entry
	byRef   map[string]*entry
}

// with brings the index up to date with tx and calls fn with it, under the
// index's lock (fn must not keep rows).
func (x *index) with(tx talaash.Tx, fn func(rows []*entry, byRef map[string]*entry)) error {
	x.mu.Lock()
	defer x.mu.Unlock()
	v := tx.SummaryVersion()
	if x.built && v > x.version {
		if err := x.update(tx, v); talaash.ErrorCode(err) == talaash.ECONFLICT {
			x.built = false // too far behind: read everything
		} else if err != nil {
			x.built = false
			return err
		}
	}
	if !x.built || v < x.version {
		var rows []*entry
		x.byKey, x.byRef = map[string]*entry{}, map[string]*entry{}
		err := tx.EachSummary(func(s *talaash.RecordSummary) error {
			e := newEntry(s)
			rows = append(rows, e)
			x.byKey[s.Key], x.byRef[e.ref] = e, e
			return nil
		})
		if err != nil {
			x.built = false
			return err
		}
		x.rows, x.version, x.built = rows, v, true
	}
	fn(x.rows, x.byRef)
	return nil
}

// update applies the summaries changed since the index's version.
func (x *index) update(tx talaash.Tx, v uint64) error {
	var added []*entry
	err := tx.SummaryChanges(x.version, func(key string, s *talaash.RecordSummary) error {
		old := x.byKey[key]
		switch {
		case old != nil && s == nil:
			old.s = nil
		case old != nil:
			*old = *newEntry(s)
			x.byRef[old.ref] = old
		case s != nil:
			e := newEntry(s)
			x.byKey[key], x.byRef[e.ref] = e, e
			added = append(added, e)
		}
		return nil
	})
	if err != nil {
		return err
	}
	if len(added) > 0 {
		x.rows = merge(x.rows, added)
	}
	x.version = v
	return nil
}

// merge puts added into rows, newest first by key.
func merge(rows, added []*entry) []*entry {
	sort.Slice(added, func(i, j int) bool { return added[i].s.Key > added[j].s.Key })
	out := make([]*entry, 0, len(rows)+len(added))
	i, j := 0, 0
	for i < len(rows) || j < len(added) {
		if j == len(added) || (i < len(rows) && rows[i].key() > added[j].s.Key) {
			out = append(out, rows[i])
			i++
		} else {
			out = append(out, added[j])
			j++
		}
	}
	return out
}

func (e *entry) key() string {
	if e.s == nil {
		return ""
	}
	return e.s.Key
}

type caseResults struct {
	Query      query
	Rows       []*talaash.RecordSummary
	Total      int
	Next, Prev string // links, "" when none
}

// search runs q over every summary, newest first, and returns page q.Page
// and the number of matches.
func (s *Server) search(tx talaash.Tx, q query) ([]*talaash.RecordSummary, int, error) {
	var rows []*talaash.RecordSummary
	total := 0
	lo, hi := (q.Page-1)*PageSize, q.Page*PageSize
	err := s.index.with(tx, func(all []*entry, _ map[string]*entry) {
		for _, e := range all {
			if e.s == nil || !q.match(e) {
				continue
			}
			if total >= lo && total < hi {
				c := *e.s
				rows = append(rows, &c)
			}
			total++
		}
	})
	return rows, total, err
}

// caseList is the search. The names and places it shows are views of those
// records: each goes into the access log.
func (s *Server) caseList(w http.ResponseWriter, r *http.Request, v *visitor) {
	q, bad := parseQuery(r.URL.Query())
	d := caseResults{Query: q}
	if bad != "" {
		s.render(w, r, http.StatusBadRequest, "cases", &page{Lang: v.Lang, Officer: v, Err: bad, Data: d})
		return
	}
	err := s.DB.Update(func(tx talaash.Tx) error {
		var err error
		if d.Rows, d.Total, err = s.search(tx, q); err != nil {
			return err
		}
		var refs [][2]string
		for _, row := range d.Rows {
			refs = append(refs, [2]string{row.Ref, "search"})
		}
		return s.audit(tx, v, "list", refs...)
	})
	if err != nil {
		s.fail(w, r, v.Lang, err)
		return
	}
	link := func(p int) string {
		u := r.URL.Query()
		u.Set("page", strconv.Itoa(p))
		return "/desk/cases?" + u.Encode()
	}
	if d.Total > q.Page*PageSize {
		d.Next = link(q.Page + 1)
	}
	if q.Page > 1 {
		d.Prev = link(q.Page - 1)
	}
	s.render(w, r, http.StatusOK, "cases", &page{Lang: v.Lang, Officer: v, Data: d})
}

func pageNo(r *http.Request) int {
	p, _ := strconv.Atoi(r.URL.Query().Get("page"))
	return max(p, 1)
}

func number(s string) (float64, bool) {
	f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	return f, err == nil
}

func urlq(s string) string { return url.QueryEscape(s) }
