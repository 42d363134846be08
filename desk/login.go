package desk

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"time"

	"golang.org/x/crypto/bcrypt"

	"talaash"
	"talaash/police"
)

var reLogin = regexp.MustCompile(`^[a-z0-9._-]{3,32}$`)

// pre is the CSRF token of the forms shown before a session exists: a
// random cookie the form repeats (double submit), so another site cannot
// post a login for the officer.
func (s *Server) pre(w http.ResponseWriter, r *http.Request) string {
	t := cookie(r, cookiePre)
	if len(t) != 48 {
		t = token()
		s.setCookie(w, cookiePre, t, SessionTTL)
	}
	return t
}

func (s *Server) loginPage(w http.ResponseWriter, r *http.Request) {
	noStore(w)
	s.setLang(w, r)
	s.render(w, r, http.StatusOK, "login", &page{Lang: langOf(r, ""), CSRF: s.pre(w, r)})
}

func (s *Server) setupPage(w http.ResponseWriter, r *http.Request) {
	noStore(w)
	s.setLang(w, r)
	s.render(w, r, http.StatusOK, "setup", &page{Lang: langOf(r, ""), CSRF: s.pre(w, r)})
}

// setLang keeps a ?lang= choice for the next pages.
func (s *Server) setLang(w http.ResponseWriter, r *http.Request) {
	if l := r.URL.Query().Get("lang"); l == "hi" || l == "en" {
		s.setCookie(w, cookieLang, l, 365*24*time.Hour)
	}
}

// limited reports whether any of keys has had max tries in the window.
func (s *Server) limited(tx talaash.Tx, limits map[string]int) (bool, error) {
	now := s.now()
	for k, max := range limits {
		a, err := tx.Attempts(k)
		if err != nil {
			return false, err
		}
		if now.Sub(a.Since) < LoginWindow && a.Count >= max {
			return true, nil
		}
	}
	return false, nil
}

// count adds a failed try to each key's window.
func (s *Server) count(tx talaash.Tx, keys ...string) error {
	now := s.now()
	for _, k := range keys {
		a, err := tx.Attempts(k)
		if err != nil {
			return err
		}
		if now.Sub(a.Since) >= LoginWindow {
			a = talaash.Attempts{Since: now.UTC()}
		}
		a.Count++
		if err := tx.PutAttempts(k, a); err != nil {
			return err
		}
	}
	return nil
}

func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	noStore(w)
	l := langOf(r, "")
	back := func(code int, msg, login string) {
		s.render(w, r, code, "login", &page{Lang: l, CSRF: s.pre(w, r), Err: msg, Data: login})
	}
	if err := r.ParseForm(); err != nil {
		back(http.StatusBadRequest, "desk.err.form", "")
		return
	}
	if !same(r.PostFormValue("csrf"), cookie(r, cookiePre)) {
		back(http.StatusForbidden, "desk.err.csrf", "")
		return
	}
	login := strings.ToLower(strings.TrimSpace(r.PostFormValue("login")))
	pw := r.PostFormValue("password")
	if login == "" || pw == "" {
		back(http.StatusBadRequest, "desk.err.login_empty", login)
		return
	}
	keyAcc, keyAddr := "desk:login:"+login, "desk:addr:"+address(r)
	var acc *talaash.DeskAccount
	var limited bool
	err := s.DB.View(func(tx talaash.Tx) error {
		var err error
		if limited, err = s.limited(tx, map[string]int{keyAcc: MaxPerAccount, keyAddr: MaxPerAddress}); err != nil || limited {
			return err
		}
		acc, err = tx.DeskAccount(login)
		if talaash.ErrorCode(err) == talaash.ENOTFOUND {
			acc, err = nil, nil
		}
		return err
	})
	if err != nil {
		s.fail(w, r, l, err)
		return
	}
	if limited {
		back(http.StatusTooManyRequests, "desk.err.limited", login)
		return
	}
	// bcrypt runs outside the transaction: it takes tens of milliseconds.
	ok := false
	if acc != nil {
		ok = bcrypt.CompareHashAndPassword([]byte(acc.Password), []byte(pw)) == nil
	} else {
		_ = bcrypt.CompareHashAndPassword(dummyHash, []byte(pw)) // the same time for an unknown login
	}
	sessTok := token()
	err = s.DB.Update(func(tx talaash.Tx) error {
		if ok {
			ch, addr := acc.Officer()
			if _, on, err := s.Roster.Officer(tx, ch, addr); err != nil {
				return err
			} else if !on {
				ok = false
			}
		}
		if !ok {
			if acc != nil {
				if err := police.Audit(tx, talaash.ChannelDesk+":"+acc.Login, talaash.ChannelDesk+":"+acc.Login, "refuse", "desk login: wrong password", s.now()); err != nil {
					return err
				}
			}
			return s.count(tx, keyAcc, keyAddr)
		}
		if err := tx.DeleteAttempts(keyAcc); err != nil {
			return err
		}
		return s.startSession(tx, acc, sessTok)
	})
	if err != nil {
		s.fail(w, r, l, err)
		return
	}
	if !ok {
		back(http.StatusUnauthorized, "desk.err.login", login)
		return
	}
	s.setCookie(w, cookieSession, sessTok, SessionTTL)
	http.Redirect(w, r, "/desk", http.StatusSeeOther)
}

var dummyHash, _ = bcrypt.GenerateFromPassword([]byte("no such account, same cost"), bcrypt.DefaultCost)

func (s *Server) startSession(tx talaash.Tx, acc *talaash.DeskAccount, tok string) error {
	now := s.now()
	sess := &talaash.DeskSession{Hash: hash(tok), Login: acc.Login, CSRF: token(), Created: now.UTC(), Expires: now.Add(SessionTTL).UTC()}
	if err := tx.PutDeskSession(sess); err != nil {
		return err
	}
	// A form older than a session cannot come back: its nonce may go.
	if _, err := tx.PruneNonces(now.Add(-2 * SessionTTL)); err != nil {
		return err
	}
	id := talaash.ChannelDesk + ":" + acc.Login
	return police.Audit(tx, id, id, "login", "desk", now)
}

// setup is the first login: the invitation's one-time code, a login name and
// a password. The code makes one desk account; its chat use is separate.
func (s *Server) setup(w http.ResponseWriter, r *http.Request) {
	noStore(w)
	l := langOf(r, "")
	type form struct{ Login string }
	back := func(code int, msg, login string) {
		s.render(w, r, code, "setup", &page{Lang: l, CSRF: s.pre(w, r), Err: msg, Data: form{login}})
	}
	if err := r.ParseForm(); err != nil {
		back(http.StatusBadRequest, "desk.err.form", "")
		return
	}
	if !same(r.PostFormValue("csrf"), cookie(r, cookiePre)) {
		back(http.StatusForbidden, "desk.err.csrf", "")
		return
	}
	code := r.PostFormValue("code")
	login := strings.ToLower(strings.TrimSpace(r.PostFormValue("login")))
	pw, pw2 := r.PostFormValue("password"), r.PostFormValue("password2")
	switch {
	case strings.TrimSpace(code) == "":
		back(http.StatusBadRequest, "desk.err.code_empty", login)
		return
	case !reLogin.MatchString(login):
		back(http.StatusBadRequest, "desk.err.login_name", login)
		return
	case len([]rune(pw)) < minPasswordLen:
		back(http.StatusBadRequest, "desk.err.password_short", login)
		return
	case pw != pw2:
		back(http.StatusBadRequest, "desk.err.password_differ", login)
		return
	}
	pwHash, err := bcrypt.GenerateFromPassword([]byte(pw), s.cost())
	if err != nil {
		back(http.StatusBadRequest, "desk.err.password_short", login) // over bcrypt's 72 bytes
		return
	}
	keyAddr := "desk:setup:" + address(r)
	msg := ""
	sessTok := token()
	var acc *talaash.DeskAccount
	err = s.DB.Update(func(tx talaash.Tx) error {
		if lim, err := s.limited(tx, map[string]int{keyAddr: MaxPerAccount}); err != nil {
			return err
		} else if lim {
			msg = "desk.err.limited"
			return nil
		}
		now := s.now()
		inv, err := tx.Invite(police.CodeHash(code))
		if talaash.ErrorCode(err) == talaash.ENOTFOUND {
			msg = "desk.err.code"
			return s.count(tx, keyAddr)
		} else if err != nil {
			return err
		}
		if !now.Before(inv.Expires) {
			msg = "desk.err.code_expired"
			return nil
		}
		used := false
		if err := tx.EachDeskAccount(func(a *talaash.DeskAccount) error {
			used = used || a.Invite == inv.ID
			return nil
		}); err != nil {
			return err
		}
		if used {
			msg = "desk.err.code_used"
			return police.Audit(tx, "", police.InviteRef(inv.ID), "refuse", "desk setup: code used already", now)
		}
		if _, err := tx.DeskAccount(login); err == nil {
			msg = "desk.err.login_taken"
			return nil
		}
		if _, err := tx.Police(talaash.ChannelDesk, login); err == nil {
			msg = "desk.err.login_taken" // a revoked login stays revoked
			return nil
		}
		acc = &talaash.DeskAccount{Login: login, Password: string(pwHash), Name: inv.Name, Station: inv.Station, Invite: inv.ID,
			Telegram: inv.Telegram, SMS: inv.SMS, Lang: l, Created: now.UTC()}
		if err := tx.PutDeskAccount(acc); err != nil {
			return err
		}
		ch, addr := acc.Officer()
		if err := s.Roster.Enrol(tx, talaash.PoliceEntry{Channel: ch, Address: addr, Name: inv.Name, Station: inv.Station, Lang: l}, now); err != nil {
			return err
		}
		id := ch + ":" + addr
		detail := fmt.Sprintf("invitation %d: %s, %s (desk)", inv.ID, inv.Name, inv.Station)
		for _, sub := range []string{id, police.InviteRef(inv.ID)} {
			if err := police.Audit(tx, id, sub, "enrol", detail, now); err != nil {
				return err
			}
		}
		return s.startSession(tx, acc, sessTok)
	})
	if err != nil {
		s.fail(w, r, l, err)
		return
	}
	if msg != "" {
		back(http.StatusBadRequest, msg, login)
		return
	}
	s.log().Info("desk account made", "invite", acc.Invite)
	s.setCookie(w, cookieSession, sessTok, SessionTTL)
	http.Redirect(w, r, "/desk", http.StatusSeeOther)
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request, v *visitor) {
	err := s.DB.Update(func(tx talaash.Tx) error { return tx.DeleteDeskSession(v.Session.Hash) })
	if err != nil {
		s.fail(w, r, v.Lang, err)
		return
	}
	s.setCookie(w, cookieSession, "", -1)
	http.Redirect(w, r, "/desk/login", http.StatusSeeOther)
}

func (s *Server) cost() int {
	if s.BcryptCost == 0 {
		return bcrypt.DefaultCost
	}
	return s.BcryptCost
}
