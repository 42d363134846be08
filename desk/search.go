package desk

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode"

	"talaash"
	"talaash/render"
)

// Fold is the form names and places are compared in across scripts: the
// Latin reading of Devanagari (render.Latin), lower case, its consonant
// skeleton with the spellings Hindi names vary in folded together ("Ramesh",
// "Rameesh", "रमेश" -> "rms"). A leading vowel stays, so "Anil" is not "Nil".
func Fold(s string) string {
	if talaash.Devanagari(s) {
		s = render.Latin(s)
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

func (q *query) match(s *talaash.RecordSummary) bool {
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
	if q.ref != "" && strings.Contains(talaash.CanonicalRef(s.Ref), q.ref) {
		return true
	}
	if q.fold == "" {
		return false
	}
	return (s.Name != "" && strings.Contains(Fold(s.Name), q.fold)) || (s.Place != "" && strings.Contains(Fold(s.Place), q.fold))
}

type caseResults struct {
	Query      query
	Rows       []*talaash.RecordSummary
	Total      int
	Next, Prev string // links, "" when none
}

// Search runs q over every summary, newest first, and returns page q.Page
// and the number of matches.
func Search(tx talaash.Tx, q query) ([]*talaash.RecordSummary, int, error) {
	var rows []*talaash.RecordSummary
	total := 0
	lo, hi := (q.Page-1)*PageSize, q.Page*PageSize
	err := tx.EachSummary(func(s *talaash.RecordSummary) error {
		if !q.match(s) {
			return nil
		}
		if total >= lo && total < hi {
			rows = append(rows, s)
		}
		total++
		return nil
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
		if d.Rows, d.Total, err = Search(tx, q); err != nil {
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
