package talaash

import (
	"sort"
	"sync"
)

// Registry knows the channels this process can reach: what each carries and,
// for those whose adapter is configured, its Sender. The core asks it by
// channel name (records and sessions store names) and decides by the answer.
// It is safe for concurrent use.
type Registry struct {
	mu       sync.RWMutex
	caps     map[string]Capabilities
	senders  map[string]Sender
	adapters []Adapter
}

// NewRegistry returns a registry that knows the given channels, without
// senders; Register adds adapters.
func NewRegistry(specs ...ChannelSpec) *Registry {
	r := &Registry{caps: map[string]Capabilities{}, senders: map[string]Sender{}}
	r.Describe(specs...)
	return r
}

// Known is a registry of the channels the bundled adapters serve, without
// senders: what a record's or an officer's channel carries in a process that
// composes messages without the adapters (import queues alerts) and in tests.
// The adapters declare the same capabilities for their channels.
func Known() *Registry { return NewRegistry(knownChannels...) }

var knownChannels = []ChannelSpec{
	{Name: ChannelTelegram, Caps: Capabilities{Buttons: true, Photos: true, Location: true, Contact: true,
		Conversation: true, Rate: 30, RatePerTo: 1}},
	{Name: ChannelSMS, Caps: Capabilities{Encoding: EncodingSMS, PartsEn: 1, PartsHi: 2,
		Conversation: true, PhoneAddress: true, Rate: 1, RatePerTo: 1}},
	{Name: ChannelWhatsApp, Caps: Capabilities{Conversation: true, PhoneAddress: true, Rate: 20, RatePerTo: 1}},
}

// Describe makes channels known (or updates what they carry) without a sender.
func (r *Registry) Describe(specs ...ChannelSpec) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, s := range specs {
		r.caps[s.Name] = s.Caps
	}
}

// Register adds a configured adapter: its channels, what they carry (over
// what Describe said) and its sender for each. A channel two adapters serve
// stays with the first.
func (r *Registry) Register(a Adapter) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.adapters = append(r.adapters, a)
	for _, s := range a.Channels() {
		if _, taken := r.senders[s.Name]; taken {
			continue
		}
		r.caps[s.Name] = s.Caps
		r.senders[s.Name] = a
	}
}

// Caps returns what channel carries; false for a channel nobody described
// (an imported record's "import", say).
func (r *Registry) Caps(channel string) (Capabilities, bool) {
	if r == nil {
		return Capabilities{}, false
	}
	r.mu.RLock()
	defer r.mu.RUnlock()
	c, ok := r.caps[channel]
	return c, ok
}

// Sender returns the sender of channel, if its adapter is registered.
func (r *Registry) Sender(channel string) (Sender, bool) {
	if r == nil {
		return nil, false
	}
	r.mu.RLock()
	defer r.mu.RUnlock()
	s, ok := r.senders[channel]
	return s, ok
}

// Adapters returns the registered adapters in the order they were registered.
func (r *Registry) Adapters() []Adapter {
	if r == nil {
		return nil
	}
	r.mu.RLock()
	defer r.mu.RUnlock()
	return append([]Adapter(nil), r.adapters...)
}

// PhoneChannels lists the channels whose addresses are phone numbers: those
// that reach a person known only by a phone number. SMS channels come first,
// since every phone takes an SMS while a chat app needs an account; then by
// name, so the choice is stable.
func (r *Registry) PhoneChannels() []string {
	if r == nil {
		return nil
	}
	r.mu.RLock()
	defer r.mu.RUnlock()
	var out []string
	for name, c := range r.caps {
		if c.PhoneAddress {
			out = append(out, name)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		si, sj := r.caps[out[i]].SMS(), r.caps[out[j]].SMS()
		if si != sj {
			return si
		}
		return out[i] < out[j]
	})
	return out
}

// PhoneChannel is the first of PhoneChannels: where a person known only by a
// phone number hears from us; "" when no channel reaches phones.
func (r *Registry) PhoneChannel() string {
	if p := r.PhoneChannels(); len(p) > 0 {
		return p[0]
	}
	return ""
}
