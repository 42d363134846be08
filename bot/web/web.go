// Package web is the simulator's channel adapter: people on the /sim page's
// phones write to the real core over a small JSON API, and the replies and
// every later message for them (alerts, notices from the outbox) wait in a
// queue the page polls. Its two channels carry what Telegram and SMS carry,
// so the core renders each as it would a real one, and both are Test
// channels: what is reported on them is a test record.
package web

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"talaash"
	"talaash/gsm"
)

// Channel names. Records and sessions store them; the core decides by their
// capabilities.
const (
	ChannelChat = "web-chat"
	ChannelSMS  = "web-sms"
)

// Chat and SMS are the two channels, with Telegram's and SMS's capabilities
// (pacing aside: a page on this machine takes what comes) and Test set.
var (
	Chat = talaash.ChannelSpec{Name: ChannelChat, Caps: talaash.Capabilities{Buttons: true, Photos: true, Location: true,
		Contact: true, Conversation: true, Test: true, Rate: 100, RatePerTo: 100}}
	SMS = talaash.ChannelSpec{Name: ChannelSMS, Caps: talaash.Capabilities{Encoding: talaash.EncodingSMS, PartsEn: 1, PartsHi: 2,
		Conversation: true, PhoneAddress: true, Test: true, Rate: 100, RatePerTo: 100}}
)

// Phone is one of the simulator's phones: who holds it and where they write.
type Phone struct {
	Role    string // parent, bystander, police, child
	Channel string
	Address string
	Number  string // the phone number a shared contact card gives
}

// Phones are the page's four phones. Only these can write, so the page can
// never speak as anyone else.
var Phones = []Phone{
	{Role: "parent", Channel: ChannelChat, Address: "sim-parent", Number: "+919000000003"},
	{Role: "bystander", Channel: ChannelSMS, Address: "+919000000001", Number: "+919000000001"},
	{Role: "police", Channel: ChannelChat, Address: "sim-police", Number: "+919000000004"},
	{Role: "child", Channel: ChannelSMS, Address: "+919000000002", Number: "+919000000002"},
}

// PhoneOf returns the phone of role.
func PhoneOf(role string) (Phone, bool) {
	for _, p := range Phones {
		if p.Role == role {
			return p, true
		}
	}
	return Phone{}, false
}

// Message is one message a phone shows, as the page reads it.
type Message struct {
	Seq      int              `json:"seq"`
	Role     string           `json:"role"`
	Mine     bool             `json:"mine,omitempty"` // the phone's holder wrote it
	Text     string           `json:"text,omitempty"`
	Choices  []talaash.Choice `json:"choices,omitempty"`
	Inline   bool             `json:"inline,omitempty"` // choices answer with their Data, else with their label
	Ask      talaash.Ask      `json:"ask,omitempty"`
	Photos   []string         `json:"photos,omitempty"` // URLs the page can show
	Encoding string           `json:"encoding,omitempty"`
	Parts    int              `json:"parts,omitempty"`
}

// Config is what the adapter needs besides the core.
type Config struct {
	PhotoDir string                                                        // where attached photos are kept (under the data dir)
	Place    func(key string) (loc talaash.Location, name string, ok bool) // a gazetteer place
	Log      *slog.Logger
}

// Adapter implements talaash.Adapter for the simulator.
type Adapter struct {
	core talaash.Handler
	cfg  Config

	mu      sync.Mutex
	seq     int
	msgs    []Message
	changed chan struct{} // closed and replaced when a message arrives
	stopped chan struct{} // closed when Run ends, to let long polls go
}

// MaxKept is how many messages the queue keeps; the oldest go first.
const MaxKept = 500

// New makes the adapter handing inbound messages to core.
func New(core talaash.Handler, cfg Config) *Adapter {
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	return &Adapter{core: core, cfg: cfg, changed: make(chan struct{}), stopped: make(chan struct{})}
}

// Channels implements talaash.Adapter.
func (a *Adapter) Channels() []talaash.ChannelSpec { return []talaash.ChannelSpec{Chat, SMS} }

// Run implements talaash.Adapter. It only waits for ctx to end, then answers
// the pages' long polls at once, so that they do not hold up the server's
// shutdown.
func (a *Adapter) Run(ctx context.Context) error {
	<-ctx.Done()
	close(a.stopped)
	return nil
}

// Send implements talaash.Sender: the message waits for its phone's page.
func (a *Adapter) Send(ctx context.Context, m talaash.Outbound) (string, error) {
	role := ""
	for _, p := range Phones {
		if p.Channel == m.Channel && p.Address == m.To {
			role = p.Role
		}
	}
	if role == "" {
		// Nobody holds this phone: as a real provider would say of a number
		// that does not exist, do not try again.
		return "", talaash.Errorf(talaash.ESTOPPED, "no simulator phone")
	}
	return strconv.Itoa(a.add(role, m)), nil
}

func (a *Adapter) add(role string, m talaash.Outbound) int {
	msg := Message{Role: role, Text: m.Text, Choices: m.Choices, Inline: m.Inline, Ask: m.Ask}
	for _, p := range m.Photos {
		msg.Photos = append(msg.Photos, photoURL(p))
	}
	if m.Channel == ChannelSMS {
		msg.Encoding, msg.Parts = gsm.Segments(m.Text)
	}
	return a.put(msg)
}

func (a *Adapter) put(msg Message) int {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.seq++
	msg.Seq = a.seq
	a.msgs = append(a.msgs, msg)
	if len(a.msgs) > MaxKept {
		a.msgs = a.msgs[len(a.msgs)-MaxKept:]
	}
	close(a.changed)
	a.changed = make(chan struct{})
	return msg.Seq
}

// since returns the messages after seq and a channel closed on the next one.
func (a *Adapter) since(seq int) ([]Message, <-chan struct{}) {
	a.mu.Lock()
	defer a.mu.Unlock()
	var out []Message
	for _, m := range a.msgs {
		if m.Seq > seq {
			out = append(out, m)
		}
	}
	return out, a.changed
}

// Routes implements talaash.Adapter.
func (a *Adapter) Routes(mux *http.ServeMux) {
	mux.HandleFunc("POST /sim/api/send", a.send)
	mux.HandleFunc("GET /sim/api/messages", a.messages)
	mux.HandleFunc("POST /sim/api/photo", a.upload)
	mux.HandleFunc("GET /sim/photo/{id}", a.photo)
}

// sendRequest is what a phone sends: text, a pressed button, a place from the
// gazetteer, an attached photo's id, or several at once.
type sendRequest struct {
	Role     string `json:"role"`
	Text     string `json:"text"`
	Callback string `json:"callback"`
	Label    string `json:"label"`   // the pressed button's label, shown as sent
	Contact  bool   `json:"contact"` // share the phone's own contact card
	Place    string `json:"place"`
	Photo    string `json:"photo"`
	Lang     string `json:"lang"`
}

// problem answers the page with an error it shows; Message is for people.
func problem(w http.ResponseWriter, code int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	json.NewEncoder(w).Encode(map[string]string{"error": msg})
}

var msgSeq = struct {
	sync.Mutex
	n int64
}{}

func (a *Adapter) send(w http.ResponseWriter, r *http.Request) {
	// JSON only: another site's page cannot post JSON here without the
	// browser asking first, so it cannot write on the phones.
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		problem(w, http.StatusUnsupportedMediaType, "send JSON")
		return
	}
	var req sendRequest
	if err := json.NewDecoder(io.LimitReader(r.Body, 64<<10)).Decode(&req); err != nil {
		problem(w, http.StatusBadRequest, "unreadable message")
		return
	}
	p, ok := PhoneOf(req.Role)
	if !ok {
		problem(w, http.StatusBadRequest, "no such phone")
		return
	}
	msgSeq.Lock()
	msgSeq.n++
	id := strconv.FormatInt(time.Now().UnixNano(), 36) + "-" + strconv.FormatInt(msgSeq.n, 10)
	msgSeq.Unlock()
	in := talaash.Inbound{Channel: p.Channel, Sender: p.Address, ID: id, Text: req.Text, Callback: req.Callback, LangHint: req.Lang}
	// What the phone shows as sent: the text, the pressed button's label,
	// the place's name, the photo.
	mine := Message{Role: p.Role, Mine: true, Text: req.Text}
	if req.Callback != "" && mine.Text == "" {
		mine.Text = req.Label
	}
	if req.Place != "" {
		loc, name, ok := talaash.Location{}, "", false
		if a.cfg.Place != nil {
			loc, name, ok = a.cfg.Place(req.Place)
		}
		if !ok {
			problem(w, http.StatusBadRequest, "unknown place")
			return
		}
		in.Location = &loc
		mine.Text = strings.TrimSpace(mine.Text + "\n📍 " + name)
	}
	if req.Contact {
		in.Contact = &talaash.Contact{Phone: p.Number}
		mine.Text = strings.TrimSpace(mine.Text + "\n📞 " + p.Number)
	}
	if req.Photo != "" {
		if !validPhotoID(req.Photo) {
			problem(w, http.StatusBadRequest, "unknown photo")
			return
		}
		in.Photos = []string{PhotoPrefix + req.Photo}
		mine.Photos = []string{photoURL(in.Photos[0])}
	}
	if p.Channel == ChannelSMS {
		// What an SMS costs is its text; a place or contact is the page's help.
		mine.Encoding, mine.Parts = gsm.Segments(req.Text)
	}
	a.put(mine)
	outs, err := a.core.Handle(r.Context(), in)
	if err != nil {
		a.cfg.Log.Warn("simulator message refused", "role", p.Role, "code", talaash.ErrorCode(err))
		problem(w, http.StatusBadRequest, talaash.ErrorMessage(err))
		return
	}
	for _, o := range outs {
		role := p.Role
		for _, q := range Phones {
			if q.Channel == o.Channel && q.Address == o.To {
				role = q.Role
			}
		}
		a.add(role, o)
	}
	w.WriteHeader(http.StatusNoContent)
}

// messages returns the messages after ?after=SEQ, waiting up to ?wait=SECONDS
// (at most 25) for one when there are none: a long poll.
func (a *Adapter) messages(w http.ResponseWriter, r *http.Request) {
	after, _ := strconv.Atoi(r.URL.Query().Get("after"))
	wait, _ := strconv.Atoi(r.URL.Query().Get("wait"))
	wait = min(max(wait, 0), 25)
	msgs, changed := a.since(after)
	if len(msgs) == 0 && wait > 0 {
		t := time.NewTimer(time.Duration(wait) * time.Second)
		defer t.Stop()
		select {
		case <-changed:
			msgs, _ = a.since(after)
		case <-t.C:
		case <-a.stopped:
		case <-r.Context().Done():
			return
		}
	}
	if msgs == nil {
		msgs = []Message{}
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	json.NewEncoder(w).Encode(msgs)
}

// PhotoPrefix marks a photo the simulator keeps, in Inbound.Photos and on records.
const PhotoPrefix = "web:"

// MaxPhoto is the largest photo accepted, in bytes.
const MaxPhoto = 5 << 20

func validPhotoID(id string) bool {
	if len(id) != 32+4 || !strings.HasSuffix(id, ".img") {
		return false
	}
	_, err := hex.DecodeString(id[:32])
	return err == nil
}

func photoURL(p string) string {
	if id, ok := strings.CutPrefix(p, PhotoPrefix); ok {
		return "/sim/photo/" + id
	}
	return p
}

// upload keeps a photo attached on a phone and returns its id.
func (a *Adapter) upload(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, MaxPhoto+(64<<10))
	f, _, err := r.FormFile("photo")
	if err != nil {
		problem(w, http.StatusBadRequest, "no photo, or larger than 5 MB")
		return
	}
	defer f.Close()
	head := make([]byte, 512)
	n, _ := io.ReadFull(f, head)
	if ct := http.DetectContentType(head[:n]); !strings.HasPrefix(ct, "image/") {
		problem(w, http.StatusBadRequest, "not a picture")
		return
	}
	var b [16]byte
	rand.Read(b[:])
	id := hex.EncodeToString(b[:]) + ".img"
	if err := os.MkdirAll(a.cfg.PhotoDir, 0o700); err != nil {
		a.cfg.Log.Error("simulator photo dir", "err", err)
		problem(w, http.StatusInternalServerError, "could not keep the photo")
		return
	}
	out, err := os.OpenFile(filepath.Join(a.cfg.PhotoDir, id), os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err == nil {
		_, err = out.Write(head[:n])
		if err == nil {
			_, err = io.Copy(out, f)
		}
		if cerr := out.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		os.Remove(filepath.Join(a.cfg.PhotoDir, id))
		problem(w, http.StatusBadRequest, "no photo, or larger than 5 MB")
		return
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]string{"id": id, "url": photoURL(PhotoPrefix + id)})
}

// Photo reads a photo a phone attached, as a record keeps it ("web:ID"),
// for the police desk.
func (a *Adapter) Photo(_ context.Context, photo string) ([]byte, error) {
	id, ok := strings.CutPrefix(photo, PhotoPrefix)
	if !ok || !validPhotoID(id) {
		return nil, talaash.Errorf(talaash.EINVALID, "not a simulator photo")
	}
	b, err := os.ReadFile(filepath.Join(a.cfg.PhotoDir, id))
	if err != nil {
		return nil, talaash.Errorf(talaash.ENOTFOUND, "simulator photo gone")
	}
	return b, nil
}

func (a *Adapter) photo(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if !validPhotoID(id) {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("X-Content-Type-Options", "nosniff")
	http.ServeFile(w, r, filepath.Join(a.cfg.PhotoDir, id))
}
