package kannel

import (
	"net/http"
	"strconv"
	"strings"

	"talaash"
)

// Kannel's delivery report types (dlr-mask bits, %d in the dlr-url).
const (
	DLRDelivered = 1  // delivered to the phone
	DLRFailed    = 2  // not delivered to the phone
	DLRBuffered  = 4  // queued at the SMSC
	DLRAccepted  = 8  // accepted by the SMSC
	DLRRejected  = 16 // rejected by the SMSC
)

// Status is one delivery report.
type Status struct {
	ID    string // the id Send returned
	Type  int    // one of the DLR* values
	State string // delivered | failed | sent | buffered
	// Msg is the message reported on, while the adapter still holds it
	// (from Send until its final report, within two days).
	Msg *talaash.Outbound
}

// Final reports whether no further report will come for the message.
func (s Status) Final() bool { return s.State == "delivered" || s.State == "failed" }

func state(typ int) string {
	switch {
	case typ&DLRDelivered != 0:
		return "delivered"
	case typ&(DLRFailed|DLRRejected) != 0:
		return "failed"
	case typ&DLRBuffered != 0:
		return "buffered"
	}
	return "sent"
}

// StatusHandler serves GET /kannel/status: delivery reports, secret-protected,
// handed to Config.OnStatus and answered with an empty 200.
func (c *Channel) StatusHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		form, ok := c.readForm(w, r)
		if !ok {
			return
		}
		id := strings.TrimSpace(form.Get("id"))
		typ, err := strconv.Atoi(form.Get("type"))
		if id == "" || err != nil || typ <= 0 {
			http.Error(w, "id and type are required", http.StatusBadRequest)
			return
		}
		st := Status{ID: id, Type: typ, State: state(typ)}
		c.mu.Lock()
		if p, ok := c.pending[id]; ok {
			m := p.msg
			st.Msg = &m
			if st.Final() {
				delete(c.pending, id)
			}
		}
		c.mu.Unlock()
		if st.State == "failed" {
			to := ""
			if st.Msg != nil {
				to = st.Msg.To
			}
			c.log.Warn("delivery failed", "id", id, "type", typ, "to", talaash.MaskPhone(to))
		}
		if c.cfg.OnStatus != nil {
			c.cfg.OnStatus(r.Context(), st)
		}
		w.WriteHeader(http.StatusOK)
	})
}
