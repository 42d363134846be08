package main

import (
	"context"
	"fmt"
	"strings"
	"text/tabwriter"

	"talaash"
)

// runAudit is `talaash audit REF`: the access log of a record (who saw or
// decided what, when), oldest first. REF may also be an officer's
// "channel:address" (their invitations, enrolment, approval, refusals and
// revocation) or "invite:N" (what became of an invitation).
func (m *Main) runAudit(ctx context.Context, args []string) error {
	fs := m.flags("audit")
	rest, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(rest) != 1 || strings.TrimSpace(rest[0]) == "" {
		return usageError{"audit needs one REF (a record's ref, channel:address or invite:N)"}
	}
	ref := subject(rest[0])
	if err := m.openDB(); err != nil {
		return err
	}
	w := tabwriter.NewWriter(m.Stdout, 0, 0, 2, ' ', 0)
	n := 0
	err = m.DB.View(func(tx talaash.Tx) error {
		return tx.AuditOf(ref, func(e *talaash.AuditEntry) error {
			if n == 0 {
				fmt.Fprintln(w, "time\tofficer\taction\tdetail")
			}
			n++
			_, err := fmt.Fprintf(w, "%s\t%s\t%s\t%s\n", e.At.In(talaash.IST).Format("2006-01-02 15:04:05 IST"), e.Officer, e.Action, e.Detail)
			return err
		})
	})
	if err != nil {
		return err
	}
	if n == 0 {
		fmt.Fprintf(m.Stdout, "no access log for %s\n", rest[0])
		return nil
	}
	return w.Flush()
}

// subject is REF as the audit log names it: a phone number in any common
// form after "sms:" or "whatsapp:" becomes the E.164 the log keeps.
func subject(ref string) string {
	ref = strings.TrimSpace(ref)
	ch, addr, ok := strings.Cut(ref, ":")
	if !ok {
		return ref
	}
	if c, known := talaash.Known().Caps(ch); known && c.PhoneAddress {
		if p, err := talaash.NormalizePhone(addr); err == nil {
			return ch + ":" + p
		}
	}
	return ref
}
