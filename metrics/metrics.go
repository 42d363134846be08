// Package metrics counts what Talaash does, for GET /metrics in Prometheus's
// text format. The core calls plain functions (In, Out, Turn, Alert, ...);
// only this package knows Prometheus, so the packages it counts for keep no
// Prometheus types. Counts are taken at the core's edges, after a commit
// where a transaction may be run again (group commit), so nothing is counted
// twice or for a turn that rolled back.
//
// Labels name channels, outcomes and reasons, never a person: no phone
// number, chat id or reference is ever a label.
package metrics

import (
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Kinds of outbound message.
const (
	OutReply  = "reply"  // a turn's reply, handed to the adapter after the commit
	OutOutbox = "outbox" // a message the outbox delivered (alerts, notices)
)

// Alert events.
const (
	AlertRaised    = "raised"    // the matcher found a pair worth an alert
	AlertSent      = "sent"      // an alert message reached an officer's channel
	AlertConfirmed = "confirmed" // an officer confirmed the pair
	AlertRejected  = "rejected"  // an officer rejected it
)

// Limits that refuse messages.
const (
	LimitSender = "sender" // one sender's messages per minute
	LimitGlobal = "global" // all senders' messages per second
)

// Turn outcomes besides a normal turn.
const (
	TurnOK        = "ok"
	TurnDuplicate = "duplicate" // a provider's retry, answered from the store
	TurnFailed    = "failed"    // rolled back; the person got an apology
	TurnLimited   = "limited"   // refused by a rate limit
)

// latency buckets, seconds: a turn commits in milliseconds (an fsync), and
// Twilio gives up at 15 s.
var latency = []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 15}

var (
	messagesIn = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "talaash_messages_in_total",
		Help: "Inbound messages the core was given, by channel.",
	}, []string{"channel"})
	messagesOut = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "talaash_messages_out_total",
		Help: "Outbound messages by channel and kind (reply: a turn's replies; outbox: alerts and notices delivered).",
	}, []string{"channel", "kind"})
	turns = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "talaash_turns_total",
		Help: "Inbound turns by channel and outcome (ok, duplicate, failed, limited).",
	}, []string{"channel", "outcome"})
	turnSeconds = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "talaash_turn_seconds",
		Help:    "Time to take one inbound message: dedupe, dialog, store and commit.",
		Buckets: latency,
	}, []string{"channel"})
	alerts = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "talaash_alerts_total",
		Help: "Match alerts: raised by the matcher, sent to officers (one per message), confirmed, rejected.",
	}, []string{"event"})
	matchSeconds = prometheus.NewHistogram(prometheus.HistogramOpts{
		Name:    "talaash_match_seconds",
		Help:    "Time to match one new or changed record against the others.",
		Buckets: latency,
	})
	limited = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "talaash_rate_limited_total",
		Help: "Inbound messages refused by a rate limit (sender: per sender and minute; global: all senders per second).",
	}, []string{"limit"})
	enrolFailures = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "talaash_enrol_failures_total",
		Help: "Police enrolment attempts refused, by reason (wrong, expired, used, off, limited).",
	}, []string{"reason"})
	connsShed = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "talaash_http_connections_shed_total",
		Help: "HTTP connections closed to make room while at the connection limit (the slowest to send a request).",
	})
	conns = prometheus.NewGauge(prometheus.GaugeOpts{
		Name: "talaash_http_connections",
		Help: "Open HTTP connections.",
	})
)

// all are the collectors every Handler serves.
var all = []prometheus.Collector{
	messagesIn, messagesOut, turns, turnSeconds, alerts, matchSeconds, limited, enrolFailures, connsShed, conns,
}

// In counts an inbound message on channel.
func In(channel string) { messagesIn.WithLabelValues(channel).Inc() }

// Out counts n outbound messages of kind (OutReply, OutOutbox) on channel.
func Out(channel, kind string, n int) {
	if n > 0 {
		messagesOut.WithLabelValues(channel, kind).Add(float64(n))
	}
}

// Turn counts one turn's outcome and, for turns that ran (ok, failed), how
// long it took.
func Turn(channel, outcome string, took time.Duration) {
	turns.WithLabelValues(channel, outcome).Inc()
	if outcome == TurnOK || outcome == TurnFailed {
		turnSeconds.WithLabelValues(channel).Observe(took.Seconds())
	}
}

// Alert counts an alert event.
func Alert(event string) { alerts.WithLabelValues(event).Inc() }

// Match observes one matcher call.
func Match(took time.Duration) { matchSeconds.Observe(took.Seconds()) }

// Limited counts a message a limit refused.
func Limited(limit string) { limited.WithLabelValues(limit).Inc() }

// EnrolFailed counts a refused enrolment attempt.
func EnrolFailed(reason string) { enrolFailures.WithLabelValues(reason).Inc() }

// ConnOpened and ConnClosed follow the open HTTP connections; ConnShed
// counts one closed to make room.
func ConnOpened() { conns.Inc() }

// ConnClosed is ConnOpened's counterpart.
func ConnClosed() { conns.Dec() }

// ConnShed counts a connection closed at the limit.
func ConnShed() { connsShed.Inc() }

// Gauge is a value read when /metrics is scraped (the outbox's depth, say),
// with the error that kept it from being read.
type Gauge struct {
	Name, Help string
	Read       func() (float64, error)
}

// Handler serves the counters above, the Go runtime's and the process's,
// and gauges, each read at every scrape (a gauge that fails to read is left
// out of that scrape). Each Handler has its own registry, so several
// programs in one test process do not collide.
func Handler(gauges ...Gauge) http.Handler {
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	reg.MustRegister(all...)
	if len(gauges) > 0 {
		reg.MustRegister(gaugeSet(gauges))
	}
	return promhttp.HandlerFor(reg, promhttp.HandlerOpts{ErrorHandling: promhttp.ContinueOnError})
}

// gaugeSet collects gauges read at scrape time.
type gaugeSet []Gauge

func (g gaugeSet) Describe(ch chan<- *prometheus.Desc) {
	for _, x := range g {
		ch <- prometheus.NewDesc(x.Name, x.Help, nil, nil)
	}
}

func (g gaugeSet) Collect(ch chan<- prometheus.Metric) {
	for _, x := range g {
		desc := prometheus.NewDesc(x.Name, x.Help, nil, nil)
		v, err := x.Read()
		if err != nil {
			ch <- prometheus.NewInvalidMetric(desc, err)
			continue
		}
		ch <- prometheus.MustNewConstMetric(desc, prometheus.GaugeValue, v)
	}
}
