package telegram

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"talaash"
)

// Send delivers m to the chat m.To: its photos first, then its text carrying the
// choices, so the buttons sit under the last message. It returns the id of the
// last message sent. Errors are coded ESTOPPED (blocked or deactivated),
// ETHROTTLED with RetryAfter, EFAILED (anything temporary or unexpected), or
// EINVALID for a message that cannot be sent at all.
func (c *Channel) Send(ctx context.Context, m talaash.Outbound) (string, error) {
	return c.send(ctx, m, false)
}

// send sends m. A reply (reply=true) without choices removes the keyboard of
// the question before it; a notice sent outside a turn (an alert, a parent's
// update) leaves the person's keyboard alone, since they may be in the middle
// of answering another question.
func (c *Channel) send(ctx context.Context, m talaash.Outbound, reply bool) (string, error) {
	chat, err := strconv.ParseInt(strings.TrimSpace(m.To), 10, 64)
	if err != nil || chat == 0 {
		return "", talaash.Errorf(talaash.EINVALID, "telegram: %q is not a chat id", m.To)
	}
	if strings.TrimSpace(m.Text) == "" && len(m.Photos) == 0 {
		return "", talaash.Errorf(talaash.EINVALID, "telegram: empty message")
	}
	var id int
	for _, p := range m.Photos {
		params := &tgbot.SendPhotoParams{ChatID: chat, Photo: &models.InputFileString{Data: p}}
		if strings.TrimSpace(m.Text) == "" {
			params.ReplyMarkup = markup(m, reply) // photos only: the buttons go with the last one
		}
		msg, err := c.tg.SendPhoto(ctx, params)
		if err != nil {
			return "", mapError(err)
		}
		id = msg.ID
	}
	if strings.TrimSpace(m.Text) != "" {
		parts := split(m.Text, maxTextLen)
		for i, part := range parts {
			params := &tgbot.SendMessageParams{ChatID: chat, Text: part}
			if i == len(parts)-1 {
				params.ReplyMarkup = markup(m, reply)
			}
			msg, err := c.tg.SendMessage(ctx, params)
			if err != nil {
				return "", mapError(err)
			}
			id = msg.ID
		}
	}
	return strconv.Itoa(id), nil
}

// The Bot API's markup, declared here rather than taken from the library's
// models: its inline button always serialises an empty "copy_text" object.
type (
	inlineKeyboard struct {
		InlineKeyboard [][]inlineButton `json:"inline_keyboard"`
	}
	inlineButton struct {
		Text         string `json:"text"`
		CallbackData string `json:"callback_data"`
	}
	replyKeyboard struct {
		Keyboard        [][]keyButton `json:"keyboard"`
		ResizeKeyboard  bool          `json:"resize_keyboard"`
		OneTimeKeyboard bool          `json:"one_time_keyboard"`
	}
	keyButton struct {
		Text            string `json:"text"`
		RequestLocation bool   `json:"request_location,omitempty"`
		RequestContact  bool   `json:"request_contact,omitempty"`
	}
	removeKeyboard struct {
		RemoveKeyboard bool `json:"remove_keyboard"`
	}
)

// markup turns the choices into buttons. Inline buttons send their Data back as
// a callback; a reply keyboard sends the label as text. With an Ask, the choice
// whose Data names it ("location" / "contact") becomes the request button, and a
// reply keyboard is used since inline buttons cannot request either. A message
// without choices clears the previous keyboard so stale answers are not offered.
func markup(m talaash.Outbound, reply bool) any {
	if len(m.Choices) == 0 {
		if !reply {
			return nil
		}
		return removeKeyboard{RemoveKeyboard: true}
	}
	labels := make([]string, len(m.Choices))
	for i, ch := range m.Choices {
		labels[i] = ch.Label
	}
	if m.Inline && m.Ask == talaash.AskNone {
		kb := inlineKeyboard{}
		for _, row := range rows(labels) {
			var r []inlineButton
			for _, i := range row {
				r = append(r, inlineButton{Text: m.Choices[i].Label, CallbackData: m.Choices[i].Data})
			}
			kb.InlineKeyboard = append(kb.InlineKeyboard, r)
		}
		return kb
	}
	kb := replyKeyboard{ResizeKeyboard: true, OneTimeKeyboard: true}
	for _, row := range rows(labels) {
		var r []keyButton
		for _, i := range row {
			b := keyButton{Text: m.Choices[i].Label}
			if m.Ask != talaash.AskNone && m.Choices[i].Data == string(m.Ask) {
				b.RequestLocation = m.Ask == talaash.AskLocation
				b.RequestContact = m.Ask == talaash.AskContact
			}
			r = append(r, b)
		}
		kb.Keyboard = append(kb.Keyboard, r)
	}
	return kb
}

// rows lays buttons out by label length: short labels side by side, long ones
// a row each, so they stay readable on a small phone.
func rows(labels []string) [][]int {
	longest := 0
	for _, l := range labels {
		longest = max(longest, utf8.RuneCountInString(l))
	}
	per := 1
	switch {
	case longest <= 10:
		per = 3
	case longest <= 18:
		per = 2
	}
	var out [][]int
	for i := range labels {
		if i%per == 0 {
			out = append(out, nil)
		}
		out[len(out)-1] = append(out[len(out)-1], i)
	}
	return out
}

// split cuts text into pieces of at most limit UTF-16 units (how Telegram
// counts), at a line break or space where one is near.
func split(text string, limit int) []string {
	var parts []string
	for len16(text) > limit {
		cut, units := 0, 0
		for i, r := range text {
			n := utf16.RuneLen(r)
			if n < 0 {
				n = 1
			}
			if units+n > limit {
				cut = i
				break
			}
			units += n
		}
		if j := strings.LastIndexAny(text[:cut], "\n "); j > cut/2 {
			cut = j + 1
		}
		parts = append(parts, strings.TrimRight(text[:cut], " \n"))
		text = text[cut:]
	}
	return append(parts, text)
}

func len16(s string) int {
	n := 0
	for _, r := range s {
		if k := utf16.RuneLen(r); k > 0 {
			n += k
		} else {
			n++
		}
	}
	return n
}

// mapError turns a Bot API or transport error into a core sending error.
func mapError(err error) error {
	if err == nil {
		return nil
	}
	var tm *tgbot.TooManyRequestsError
	switch {
	case errors.As(err, &tm):
		wait := time.Duration(tm.RetryAfter) * time.Second
		if wait <= 0 {
			wait = time.Second
		}
		return &talaash.Error{Code: talaash.ETHROTTLED, Message: "telegram: too many requests", RetryAfter: wait}
	case errors.Is(err, tgbot.ErrorForbidden):
		// "bot was blocked by the user", "user is deactivated", ...: do not send again.
		return talaash.Errorf(talaash.ESTOPPED, "telegram: %s", err)
	case errors.Is(err, tgbot.ErrorBadRequest):
		// "chat not found", a bad photo id: the same request will never succeed.
		return talaash.Errorf(talaash.EINVALID, "telegram: %s", err)
	}
	// 5xx, transport errors, timeouts and anything unexpected: worth a retry.
	return talaash.Errorf(talaash.EFAILED, "telegram: %s", err)
}
