// Package telegramtest is a fake Telegram Bot API server for tests: it serves
// getUpdates from updates a test adds, files a test adds (getFile, file URL), records every method call with its form
// fields, answers sends with made-up message ids, and can be told to fail the
// next call of a method with a given Bot API error.
package telegramtest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Call is one Bot API request the server received.
type Call struct {
	Method string
	Fields map[string]string // form fields as sent (reply_markup is JSON)
}

// Server is the fake. Use its URL as the bot's API URL.
type Server struct {
	*httptest.Server
	Token string

	mu      sync.Mutex
	updates []json.RawMessage // updates not yet confirmed by a getUpdates offset, in order
	calls   []Call
	fail    map[string][]string // method -> scripted error bodies, used first
	files   map[string][]byte   // file id -> the file getFile and the file URL give
	nextID  int
	polls   int           // getUpdates requests in flight
	changed chan struct{} // closed and replaced on every change, to wake waiters
	delay   time.Duration // how long a send takes to be answered
}

// SetDelay makes every sendMessage and sendPhoto wait d before it is
// answered, once recorded: a slow Bot API, for a client killed mid-send.
func (s *Server) SetDelay(d time.Duration) {
	s.mu.Lock()
	s.delay = d
	s.mu.Unlock()
}

// WaitIdle waits until no getUpdates request is open: a stopped poller's last
// long poll would otherwise take (and, by its offset, confirm) an update the
// test adds for the next poller.
func (s *Server) WaitIdle(t testing.TB, timeout time.Duration) {
	t.Helper()
	deadline := time.After(timeout)
	for {
		s.mu.Lock()
		n, ch := s.polls, s.changed
		s.mu.Unlock()
		if n == 0 {
			return
		}
		select {
		case <-ch:
		case <-deadline:
			t.Fatalf("telegramtest: %d getUpdates still open after %v", n, timeout)
		}
	}
}

// NewServer starts a fake closed at the end of the test.
func NewServer(t testing.TB) *Server {
	s := &Server{Token: "123:TEST", fail: map[string][]string{}, files: map[string][]byte{}, nextID: 1000, changed: make(chan struct{})}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

// AddUpdate queues a raw update (JSON with an update_id) for getUpdates.
func (s *Server) AddUpdate(update []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.updates = append(s.updates, json.RawMessage(update))
	s.wake()
}

// AddFile makes a file the bot may fetch: getFile of id answers with a path
// under which /file/bot<token>/ serves body, as the Bot API does for a photo
// a user sent.
func (s *Server) AddFile(id string, body []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.files[id] = body
}

// Pending is how many added updates a getUpdates offset has not yet confirmed.
func (s *Server) Pending() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.updates)
}

// Fail makes the next call of method answer with a Bot API error: HTTP status
// and error_code code, description, and retry_after seconds when above zero.
func (s *Server) Fail(method string, code int, description string, retryAfter int) {
	body := map[string]any{"ok": false, "error_code": code, "description": description}
	if retryAfter > 0 {
		body["parameters"] = map[string]int{"retry_after": retryAfter}
	}
	b, _ := json.Marshal(body)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fail[method] = append(s.fail[method], string(b))
}

// Calls returns the calls received so far, of the given methods (all when none given).
func (s *Server) Calls(methods ...string) []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Call
	for _, c := range s.calls {
		if len(methods) == 0 || contains(methods, c.Method) {
			out = append(out, c)
		}
	}
	return out
}

// WaitCalls waits until at least n calls of method have arrived and returns
// them all; the test fails after timeout.
func (s *Server) WaitCalls(t testing.TB, method string, n int, timeout time.Duration) []Call {
	t.Helper()
	deadline := time.After(timeout)
	for {
		s.mu.Lock()
		ch := s.changed
		s.mu.Unlock()
		if got := s.Calls(method); len(got) >= n {
			return got
		}
		select {
		case <-ch:
		case <-deadline:
			t.Fatalf("telegramtest: waited %v for %d %s calls, got %d: %+v", timeout, n, method, len(s.Calls(method)), s.Calls())
			return nil
		}
	}
}

func (s *Server) wake() {
	close(s.changed)
	s.changed = make(chan struct{})
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	if path, ok := strings.CutPrefix(r.URL.Path, "/file/bot"+s.Token+"/photos/"); ok {
		s.mu.Lock()
		s.calls = append(s.calls, Call{Method: "file", Fields: map[string]string{"path": path}})
		b, found := s.files[path]
		s.wake()
		s.mu.Unlock()
		if !found {
			http.NotFound(w, r)
			return
		}
		w.Write(b)
		return
	}
	rest, ok := strings.CutPrefix(r.URL.Path, "/bot"+s.Token+"/")
	if !ok {
		writeJSON(w, http.StatusUnauthorized, `{"ok":false,"error_code":401,"description":"Unauthorized"}`)
		return
	}
	method := rest
	fields := map[string]string{}
	if err := r.ParseMultipartForm(1 << 20); err == nil {
		for k, v := range r.MultipartForm.Value {
			fields[k] = v[0]
		}
	} else if err := r.ParseForm(); err == nil {
		for k, v := range r.PostForm {
			fields[k] = v[0]
		}
	}

	if method == "getUpdates" {
		s.getUpdates(w, r, fields)
		return
	}

	s.mu.Lock()
	s.calls = append(s.calls, Call{Method: method, Fields: fields})
	s.wake()
	if q := s.fail[method]; len(q) > 0 {
		body := q[0]
		s.fail[method] = q[1:]
		s.mu.Unlock()
		var e struct {
			Code int `json:"error_code"`
		}
		_ = json.Unmarshal([]byte(body), &e)
		writeJSON(w, e.Code, body)
		return
	}
	s.nextID++
	id := s.nextID
	delay := s.delay
	s.mu.Unlock()
	if delay > 0 && (method == "sendMessage" || method == "sendPhoto") {
		time.Sleep(delay)
	}

	switch method {
	case "sendMessage", "sendPhoto":
		chat, _ := strconv.ParseInt(fields["chat_id"], 10, 64)
		msg := map[string]any{"message_id": id, "date": time.Now().Unix(), "chat": map[string]any{"id": chat, "type": "private"}}
		if method == "sendMessage" {
			msg["text"] = fields["text"]
		} else {
			msg["photo"] = []map[string]any{{"file_id": fields["photo"], "file_unique_id": "u", "width": 90, "height": 90}}
		}
		b, _ := json.Marshal(map[string]any{"ok": true, "result": msg})
		writeJSON(w, http.StatusOK, string(b))
	case "getFile":
		s.mu.Lock()
		_, found := s.files[fields["file_id"]]
		s.mu.Unlock()
		if !found {
			writeJSON(w, http.StatusBadRequest, `{"ok":false,"error_code":400,"description":"Bad Request: invalid file_id"}`)
			return
		}
		b, _ := json.Marshal(map[string]any{"ok": true, "result": map[string]any{"file_id": fields["file_id"],
			"file_unique_id": "u" + fields["file_id"], "file_path": "photos/" + fields["file_id"]}})
		writeJSON(w, http.StatusOK, string(b))
	case "getMe":
		writeJSON(w, http.StatusOK, `{"ok":true,"result":{"id":123,"is_bot":true,"first_name":"Talaash","username":"talaash_test_bot"}}`)
	default: // answerCallbackQuery, setWebhook, ...
		writeJSON(w, http.StatusOK, `{"ok":true,"result":true}`)
	}
}

// getUpdates answers with the updates from offset on, waiting briefly for new
// ones as long polling does (briefly, so tests stay fast).
func (s *Server) getUpdates(w http.ResponseWriter, r *http.Request, fields map[string]string) {
	offset, _ := strconv.ParseInt(fields["offset"], 10, 64)
	s.mu.Lock()
	s.polls++
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		s.polls--
		s.wake()
		s.mu.Unlock()
	}()
	wait := time.After(200 * time.Millisecond)
	for {
		s.mu.Lock()
		// As the Bot API does, an offset confirms every update before it: those
		// are forgotten, so a new poller does not get them again.
		var out, keep []json.RawMessage
		for _, u := range s.updates {
			var head struct {
				ID int64 `json:"update_id"`
			}
			if json.Unmarshal(u, &head) == nil && head.ID >= offset {
				out = append(out, u)
				keep = append(keep, u)
			}
		}
		s.updates = keep
		ch := s.changed
		s.mu.Unlock()
		if len(out) > 0 {
			b, _ := json.Marshal(map[string]any{"ok": true, "result": out})
			writeJSON(w, http.StatusOK, string(b))
			return
		}
		select {
		case <-ch:
		case <-wait:
			writeJSON(w, http.StatusOK, `{"ok":true,"result":[]}`)
			return
		case <-r.Context().Done():
			return
		}
	}
}

func writeJSON(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	fmt.Fprint(w, body)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
