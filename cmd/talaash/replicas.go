package main

import (
	"context"
	"time"

	"talaash"
)

// FollowPoll is how often a replica reads the records the others put when
// nothing woke it sooner (talaash.Watcher).
const FollowPoll = time.Second

// Takeover is how long a replica that takes over the outbox waits before
// sending again what the last leader was sending when it stopped: its calls
// ended when it noticed the lost lead, within a lease check (store/postgres).
const Takeover = 5 * time.Second

// once wraps background work that must run on one replica at a time: it runs
// while this process leads job (talaash.Led); on a store of one process,
// always.
func (m *Main) once(job string, fn func(ctx context.Context) error) func(ctx context.Context) error {
	return func(ctx context.Context) error {
		return talaash.Led(ctx, m.DB, job, time.Second, func(ctx context.Context) error {
			if talaash.Shared(m.DB) {
				m.Logger.Info("leading", "job", job)
				defer m.Logger.Info("no longer leading", "job", job)
			}
			return fn(ctx)
		})
	}
}

// follow keeps this replica's matcher in step with the records other
// replicas put, on a store several processes share.
func (m *Main) follow(ctx context.Context) error {
	return m.Cases.Follow(ctx, m.DB, FollowPoll, m.Logger)
}
