package dialog

import "talaash/locales"

// langReply offers the languages: Hindi, English, and Hindi in Latin letters.
func langReply() Reply {
	return Reply{ID: "choose_language", Inline: true,
		Choices: []Choice{{ID: "lang.hi", Data: "lang:hi"}, {ID: "lang.en", Data: "lang:en"}, {ID: "lang.hinglish", Data: "lang:" + locales.HiLatn}}}
}

// menuReply is the main menu; only police are offered to record a found child.
func (t *turn) menuReply() Reply {
	c := []Choice{{ID: "menu.report", Data: "menu:report"}, {ID: "menu.seen", Data: "menu:seen"}}
	if t.env.Police {
		c = append(c, Choice{ID: "menu.found", Data: "menu:found"})
	}
	c = append(c, Choice{ID: "menu.lost", Data: "menu:lost"}, Choice{ID: "menu.help", Data: "menu:help"})
	return Reply{ID: "menu", Choices: c, Inline: true}
}

// atMenu handles what people send at the menu or after a flow ended.
func (t *turn) atMenu() {
	switch t.data {
	case "menu:report":
		t.startFlow(FlowReport)
		return
	case "menu:seen":
		t.startFlow(FlowSighting)
		return
	case "menu:lost":
		t.startFlow(FlowLost)
		return
	case "menu:found":
		if t.police() {
			t.startFlow(FlowFound)
		}
		return
	case "menu:help":
		t.help()
		return
	}
	if t.question() || t.quickStart() {
		return
	}
	if t.text != "" && missingWords(t.text) {
		t.startFlow(FlowReport)
		return
	}
	r := t.menuReply()
	if t.text != "" || len(t.in.Photos) > 0 || t.in.Location != nil || t.in.Contact != nil || t.data != "" {
		r.ID = "menu.unknown"
	}
	t.res.Replies = append(t.res.Replies, r)
}
