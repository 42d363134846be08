package desk

import (
	"context"
	"html/template"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"talaash"
	"talaash/locales"
)

// Photos fetched from a channel are kept in memory briefly, so a page that
// shows one twice, or an officer going back, asks the provider once; never
// on disk, and never long.
const (
	photoKeep    = 5 * time.Minute
	photoEntries = 32
	photoFetch   = 15 * time.Second // how long a provider may take
)

type photoCache struct {
	mu   sync.Mutex
	byID map[string]cachedPhoto
}

type cachedPhoto struct {
	b      []byte
	expiry time.Time
}

func (c *photoCache) get(key string, now time.Time) ([]byte, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	p, ok := c.byID[key]
	if !ok || !now.Before(p.expiry) {
		delete(c.byID, key)
		return nil, false
	}
	return p.b, true
}

// put keeps b, first dropping what expired and, when still full, the entry
// that expires soonest.
func (c *photoCache) put(key string, b []byte, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.byID == nil {
		c.byID = map[string]cachedPhoto{}
	}
	for k, p := range c.byID {
		if !now.Before(p.expiry) {
			delete(c.byID, k)
		}
	}
	for len(c.byID) >= photoEntries {
		first := ""
		for k, p := range c.byID {
			if first == "" || p.expiry.Before(c.byID[first].expiry) {
				first = k
			}
		}
		delete(c.byID, first)
	}
	c.byID[key] = cachedPhoto{b, now.Add(photoKeep)}
}

// photo serves photo i of a record to an officer (the view is logged): a
// photo uploaded at the desk from PhotoDir, one a channel keeps through
// ChatPhoto. Only a picture is served; anything else, or a photo the
// channel cannot give, is a grey card saying so.
func (s *Server) photo(w http.ResponseWriter, r *http.Request, v *visitor) {
	ref := r.URL.Query().Get("ref")
	i, _ := strconv.Atoi(r.URL.Query().Get("i"))
	var name, channel string
	err := s.DB.Update(func(tx talaash.Tx) error {
		rec, err := tx.Record(ref)
		if err != nil {
			return err
		}
		if i < 0 || i >= len(rec.Photos) {
			return talaash.Errorf(talaash.ENOTFOUND, "no photo")
		}
		name, channel = rec.Photos[i], rec.Channel
		return s.audit(tx, v, "view", [2]string{rec.Ref, "photo " + strconv.Itoa(i+1)})
	})
	if err != nil {
		s.fail(w, r, v.Lang, err)
		return
	}
	b, err := s.photoBytes(r.Context(), channel, name)
	if err != nil {
		s.log().Warn("desk photo", "ref", ref, "channel", channel, "code", talaash.ErrorCode(err))
	}
	ct := http.DetectContentType(b)
	if err != nil || (ct != "image/jpeg" && ct != "image/png" && ct != "image/webp" && ct != "image/gif") {
		w.Header().Set("Content-Type", "image/svg+xml")
		w.Write([]byte(`<svg xmlns="http://www.w3.org/2000/svg" width="160" height="120"><rect width="160" height="120" fill="#ddd"/><text x="80" y="65" font-size="13" text-anchor="middle">` +
			template.HTMLEscapeString(locales.Render(v.Lang, "desk.photo.unavailable", nil)) + `</text></svg>`))
		return
	}
	w.Header().Set("Content-Type", ct)
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Write(b)
}

// photoBytes reads a record's photo: the desk's own from PhotoDir, else
// through ChatPhoto (kept briefly in memory).
func (s *Server) photoBytes(ctx context.Context, channel, name string) ([]byte, error) {
	if file, ok := strings.CutPrefix(name, "desk:"); ok {
		if file != filepath.Base(file) {
			return nil, talaash.Errorf(talaash.EINVALID, "bad photo name")
		}
		b, err := os.ReadFile(filepath.Join(s.PhotoDir, file))
		if err != nil {
			return nil, talaash.Errorf(talaash.ENOTFOUND, "photo file missing")
		}
		return b, nil
	}
	if s.ChatPhoto == nil {
		return nil, talaash.Errorf(talaash.ENOTFOUND, "no channel to fetch photos from")
	}
	key := channel + "\x00" + name
	if b, ok := s.photos.get(key, time.Now()); ok {
		return b, nil
	}
	ctx, cancel := context.WithTimeout(ctx, photoFetch)
	defer cancel()
	b, err := s.ChatPhoto(ctx, channel, name)
	if err != nil {
		return nil, err
	}
	s.photos.put(key, b, time.Now())
	return b, nil
}
