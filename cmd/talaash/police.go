package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"talaash"
	"talaash/bot"
	"talaash/bot/telegram"
	"talaash/bot/twilio"
	"talaash/police"
)

// runPolice is `talaash police add|approve|revoke|list`: invitations,
// approval of requests made with the general code, revocation, and who is
// police. Each writes the audit log as "cli".
func (m *Main) runPolice(ctx context.Context, args []string) error {
	if len(args) == 0 {
		return usageError{"police needs add, approve, revoke or list"}
	}
	if ran, err := m.policeInService(ctx, args); ran {
		return err
	}
	return m.policeHere(args)
}

// policeHere runs a police command on this process's database.
func (m *Main) policeHere(args []string) error {
	sub, args := args[0], args[1:]
	switch sub {
	case "add":
		return m.policeAdd(args)
	case "approve":
		return m.policeApprove(args)
	case "revoke":
		return m.policeRevoke(args)
	case "list":
		return m.policeList(args)
	}
	return usageError{fmt.Sprintf("unknown police command %q", sub)}
}

// cliBy is how the CLI appears in the audit log.
const cliBy = "cli"

// roster is the police roster as the service builds it, so the CLI agrees
// with it on who is police.
func (m *Main) roster() *police.Roster {
	if m.Channels == nil {
		m.Channels = talaash.NewRegistry(telegram.Spec, twilio.SMS, twilio.WhatsApp)
	}
	if m.Police == nil {
		m.Police = police.New(m.Config.PoliceTelegram, m.Config.PoliceSMS, m.Channels.PhoneChannels(), m.Logger)
	}
	return m.Police
}

func istTime(t time.Time) string { return t.In(talaash.IST).Format("2006-01-02 15:04 IST") }

func (m *Main) policeAdd(args []string) error {
	fs := m.flags("police add")
	var w police.Invitation
	fs.StringVar(&w.Name, "name", "", "the officer's `name`, as other officers will see it (required)")
	fs.StringVar(&w.Station, "station", "", "the officer's police `station` (required)")
	fs.StringVar(&w.Telegram, "telegram", "", "only this Telegram chat `id` may use the code")
	fs.StringVar(&w.SMS, "sms", "", "only this `phone` may use the code (SMS or WhatsApp)")
	fs.DurationVar(&w.TTL, "valid", police.InviteTTL, "how long the code stays valid")
	if rest, err := parse(fs, args); err != nil {
		return err
	} else if len(rest) > 0 {
		return usageError{"police add takes only flags"}
	}
	if w.Name == "" || w.Station == "" {
		return usageError{"police add needs --name and --station"}
	}
	if w.TTL <= 0 {
		return usageError{"--valid must be positive"}
	}
	if err := m.openDB(); err != nil {
		return err
	}
	w.By = cliBy
	var inv *talaash.Invite
	var code string
	err := m.DB.Update(func(tx talaash.Tx) (err error) {
		inv, code, err = m.roster().Invite(tx, w, m.now())
		return err
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "invitation %d for %s (%s), valid once until %s\n", inv.ID, inv.Name, inv.Station, istTime(inv.Expires))
	fmt.Fprintf(m.Stdout, "code: %s\n", code)
	fmt.Fprintf(m.Stdout, "The officer sends /police %s on Telegram or POLICE %s by SMS.\n", code, code)
	switch {
	case inv.Telegram != "" && inv.SMS != "":
		fmt.Fprintf(m.Stdout, "Only Telegram chat %s or phone %s may use it.\n", inv.Telegram, inv.SMS)
	case inv.Telegram != "":
		fmt.Fprintf(m.Stdout, "Only Telegram chat %s may use it.\n", inv.Telegram)
	case inv.SMS != "":
		fmt.Fprintf(m.Stdout, "Only phone %s may use it.\n", inv.SMS)
	}
	fmt.Fprintln(m.Stdout, "The code is shown only now; it is stored hashed.")
	return nil
}

// policeApprove approves request N, or lists the pending requests.
func (m *Main) policeApprove(args []string) error {
	fs := m.flags("police approve")
	rest, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 1 {
		return usageError{"police approve takes at most one request number"}
	}
	if err := m.openDB(); err != nil {
		return err
	}
	r := m.roster()
	if len(rest) == 0 {
		var list []talaash.Request
		if err := m.DB.View(func(tx talaash.Tx) (err error) { list, err = r.Pending(tx); return }); err != nil {
			return err
		}
		if len(list) == 0 {
			fmt.Fprintln(m.Stdout, "no enrolment requests are waiting")
			return nil
		}
		w := tabwriter.NewWriter(m.Stdout, 0, 0, 2, ' ', 0)
		fmt.Fprintln(w, "request\tchannel\taddress\tasked")
		for _, q := range list {
			fmt.Fprintf(w, "%d\t%s\t%s\t%s\n", q.ID, q.Channel, q.Address, istTime(q.At))
		}
		return w.Flush()
	}
	n, err := strconv.ParseUint(rest[0], 10, 64)
	if err != nil {
		return usageError{fmt.Sprintf("request number %q is not a number", rest[0])}
	}
	var q *talaash.Request
	err = m.DB.Update(func(tx talaash.Tx) (err error) {
		q, err = bot.Approve(tx, r, m.Channels, n, cliBy, m.now())
		return err
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "request %d approved: %s:%s is police; they are told by the service\n", q.ID, q.Channel, q.Address)
	return nil
}

// policeRevoke takes an officer off the roster at once, on every channel
// their address is on, and refuses a pending request of theirs.
func (m *Main) policeRevoke(args []string) error {
	fs := m.flags("police revoke")
	tg := fs.String("telegram", "", "the officer's Telegram chat `id`")
	phone := fs.String("sms", "", "the officer's `phone` (SMS and WhatsApp)")
	deskLogin := fs.String("desk", "", "the officer's police desk `login`")
	if rest, err := parse(fs, args); err != nil {
		return err
	} else if n := btoi(*tg != "") + btoi(*phone != "") + btoi(*deskLogin != ""); len(rest) > 0 || n != 1 {
		return usageError{"police revoke needs one of --telegram ID, --sms PHONE or --desk LOGIN"}
	}
	if err := m.openDB(); err != nil {
		return err
	}
	r := m.roster()
	type id struct{ ch, addr string }
	var ids []id
	if *tg != "" {
		ids = append(ids, id{talaash.ChannelTelegram, *tg})
	} else if *deskLogin != "" {
		ids = append(ids, id{talaash.ChannelDesk, strings.ToLower(strings.TrimSpace(*deskLogin))})
	} else {
		p, err := talaash.NormalizePhone(*phone)
		if err != nil {
			return usageError{"--sms: not a phone number"}
		}
		for _, ch := range m.Channels.PhoneChannels() {
			ids = append(ids, id{ch, p})
		}
	}
	var done []string
	err := m.DB.Update(func(tx talaash.Tx) error {
		pending, err := r.Pending(tx)
		if err != nil {
			return err
		}
		for _, x := range ids {
			ok, err := r.Is(tx, x.ch, x.addr)
			if err != nil {
				return err
			}
			for _, q := range pending {
				ok = ok || (q.Channel == x.ch && q.Address == x.addr)
			}
			if !ok {
				continue
			}
			if err := r.Revoke(tx, x.ch, x.addr, cliBy, m.now()); err != nil {
				return err
			}
			done = append(done, x.ch+":"+x.addr)
		}
		var all []string
		for _, x := range ids {
			all = append(all, x.ch+":"+x.addr)
		}
		desk, err := m.revokeDesk(tx, all) // desk.go
		done = append(done, desk...)
		return err
	})
	if err != nil {
		return err
	}
	if len(done) == 0 {
		return talaash.Errorf(talaash.ENOTFOUND, "not police and no pending request: nothing to revoke")
	}
	for _, d := range done {
		fmt.Fprintf(m.Stdout, "revoked %s\n", d)
	}
	return nil
}

// policeList prints who gets alerts and the invitations.
func (m *Main) policeList(args []string) error {
	fs := m.flags("police list")
	if rest, err := parse(fs, args); err != nil {
		return err
	} else if len(rest) > 0 {
		return usageError{"police list takes no arguments"}
	}
	if err := m.openDB(); err != nil {
		return err
	}
	w := tabwriter.NewWriter(m.Stdout, 0, 0, 2, ' ', 0)
	err := m.DB.View(func(tx talaash.Tx) error {
		list, err := m.roster().Officers(tx)
		if err != nil {
			return err
		}
		fmt.Fprintln(w, "officer\tname\tstation\tenrolled")
		for _, o := range list {
			at := "configured"
			if !o.Enrolled.IsZero() {
				at = istTime(o.Enrolled)
			}
			fmt.Fprintf(w, "%s\t%s\t%s\t%s\n", o.ID(), o.Name, o.Station, at)
		}
		fmt.Fprintln(w, "\ninvitation\tname\tstation\tstate")
		now := m.now()
		return tx.EachInvite(func(inv *talaash.Invite) error {
			state := "valid until " + istTime(inv.Expires)
			switch {
			case !inv.Used.IsZero():
				state = "used by " + inv.UsedBy + " " + istTime(inv.Used)
			case !now.Before(inv.Expires):
				state = "expired " + istTime(inv.Expires)
			}
			fmt.Fprintf(w, "%d\t%s\t%s\t%s\n", inv.ID, inv.Name, inv.Station, state)
			return nil
		})
	})
	if err != nil {
		return err
	}
	return w.Flush()
}

// policeAnswer is what the service answers a police command sent over its
// admin socket: the command's output and its error.
type policeAnswer struct {
	Out   string `json:"out"`
	Err   string `json:"err,omitempty"`
	Code  string `json:"code,omitempty"`
	Usage bool   `json:"usage,omitempty"`
}

// policeInService runs a police command in the running service, which holds
// the database (and the roster every turn asks); ran is false when no
// service answers, and the command is then run on the file.
func (m *Main) policeInService(ctx context.Context, args []string) (ran bool, err error) {
	db := m.Config.DB
	for i, a := range args { // --db decides which service; the rest is the service's to parse
		a = "-" + strings.TrimLeft(a, "-")
		if a == "-db" && i+1 < len(args) {
			db = args[i+1]
		} else if v, ok := strings.CutPrefix(a, "-db="); ok {
			db = v
		}
	}
	if m.DB != nil || db == "" {
		return false, nil
	}
	body, _ := json.Marshal(args)
	resp, err := askServiceWith(ctx, db, http.MethodPost, "/police", bytes.NewReader(body))
	if errors.Is(err, errNoService) {
		return false, nil
	} else if err != nil {
		return true, err
	}
	defer resp.Body.Close()
	var a policeAnswer
	if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&a); err != nil {
		return true, talaash.Errorf(talaash.EFAILED, "the service's answer: %v", err)
	}
	io.WriteString(m.Stdout, a.Out)
	switch {
	case a.Usage:
		return true, usageError{a.Err}
	case a.Err != "":
		return true, talaash.Errorf(a.Code, "%s", a.Err)
	}
	return true, nil
}

// adminPolice runs a police command sent over the admin socket, on the
// service's database and roster, and answers its output.
func (m *Main) adminPolice(w http.ResponseWriter, r *http.Request) {
	var args []string
	if err := json.NewDecoder(io.LimitReader(r.Body, 64<<10)).Decode(&args); err != nil || len(args) == 0 {
		http.Error(w, "a police command is a JSON list of arguments", http.StatusBadRequest)
		return
	}
	var out bytes.Buffer
	sub := &Main{Config: m.Config, DB: m.DB, Stdin: strings.NewReader(""), Stdout: &out, Stderr: &out, Getenv: m.Getenv,
		Logger: m.Logger, Now: m.Now, Channels: m.Channels, Police: m.Police}
	var a policeAnswer
	if err := sub.policeHere(args); err != nil && !errors.Is(err, flag.ErrHelp) {
		var ue usageError
		a.Err, a.Code, a.Usage = talaash.ErrorMessage(err), talaash.ErrorCode(err), errors.As(err, &ue)
		if a.Usage {
			a.Err = ue.msg
		}
	}
	a.Out = out.String()
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(a)
}
