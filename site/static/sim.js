// The simulator's phones: each sends what its holder does to /sim/api/send
// and shows the messages /sim/api/messages hands out (a long poll). Text is
// always set as text, never as HTML.
(function () {
  "use strict";
  var root = document.getElementById("sim");
  if (!root) return;
  var lang = root.dataset.lang;
  var partsLine = root.dataset.parts;
  var errorLine = root.dataset.error;
  var testBadge = root.dataset.test;
  var last = 0;
  var phones = {};
  document.querySelectorAll(".phone").forEach(function (el) {
    phones[el.dataset.role] = el;
    setup(el);
  });

  function status(text) {
    document.getElementById("status").textContent = text;
  }

  function post(url, body) {
    return fetch(url + "?lang=" + lang, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
    }).then(function (r) {
      if (r.ok) return r.status === 204 ? {} : r.json();
      return r.json().then(function (j) { throw new Error(j.error || r.statusText); },
        function () { throw new Error(r.statusText); });
    });
  }

  function send(el, body) {
    body.role = el.dataset.role;
    body.lang = lang;
    return post("/sim/api/send", body).catch(function (e) {
      notice(el, errorLine.replace("%S", e.message));
    });
  }

  function notice(el, text) {
    var li = document.createElement("li");
    li.className = "msg notice";
    li.textContent = text;
    el.querySelector(".msgs").appendChild(li);
    li.scrollIntoView({ block: "end" });
  }

  function setup(el) {
    var form = el.querySelector("form");
    var input = el.querySelector("input.text");
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var text = input.value.trim();
      if (!text) return;
      input.value = "";
      send(el, { text: text });
    });
    el.querySelectorAll("button[data-text]").forEach(function (b) {
      b.addEventListener("click", function () { send(el, { text: b.dataset.text }); });
    });
    var place = el.querySelector("select.place");
    if (place) {
      place.addEventListener("change", function () {
        if (!place.value) return;
        send(el, { place: place.value });
        place.value = "";
      });
    }
    var file = el.querySelector("input.file");
    if (file) {
      file.addEventListener("change", function () {
        if (!file.files.length) return;
        var fd = new FormData();
        fd.append("photo", file.files[0]);
        fetch("/sim/api/photo", { method: "POST", body: fd })
          .then(function (r) {
            return r.json().then(function (j) {
              if (!r.ok) throw new Error(j.error || r.statusText);
              return j;
            });
          })
          .then(function (j) { return send(el, { photo: j.id, text: input.value.trim() }); })
          .catch(function (e) { notice(el, errorLine.replace("%S", e.message)); })
          .then(function () { file.value = ""; input.value = ""; });
      });
    }
  }

  function show(m) {
    var el = phones[m.role];
    if (!el) return;
    var chat = el.classList.contains("chat");
    var list = el.querySelector(".msgs");
    var li = document.createElement("li");
    li.className = "msg " + (m.mine ? "mine" : "bot");
    li.dataset.seq = m.seq;
    if (m.text) {
      var p = document.createElement("div");
      p.className = "text";
      p.textContent = m.text;
      li.appendChild(p);
    }
    (m.photos || []).forEach(function (u) {
      var img = document.createElement("img");
      img.src = u;
      img.alt = "";
      img.className = "photo";
      li.appendChild(img);
    });
    if (!m.mine && m.role === "police" && /\bK-?\d|SIM-/.test(m.text || "")) {
      // Every record this phone is shown is a test record.
      var b = document.createElement("span");
      b.className = "badge";
      b.textContent = testBadge;
      li.insertBefore(b, li.firstChild);
    }
    if (m.encoding) {
      var f = document.createElement("div");
      f.className = "parts";
      f.textContent = partsLine.replace("%E", m.encoding).replace("%P", m.parts);
      li.appendChild(f);
    }
    if (chat && !m.mine && m.choices && m.choices.length) {
      var row = document.createElement("div");
      row.className = "choices";
      m.choices.forEach(function (c) {
        var b = document.createElement("button");
        b.type = "button";
        b.className = "choice";
        b.textContent = c.label;
        b.addEventListener("click", function () {
          if (m.ask === "location" && c.data === "location") {
            var sel = el.querySelector("select.place");
            sel.focus();
            sel.classList.add("asked");
            return;
          }
          if (m.ask === "contact" && c.data === "contact") {
            send(el, { contact: true });
            return;
          }
          if (m.inline && !m.ask) send(el, { callback: c.data, label: c.label });
          else send(el, { text: c.label });
        });
        row.appendChild(b);
      });
      li.appendChild(row);
    }
    list.appendChild(li);
    li.scrollIntoView({ block: "end" });
  }

  function poll() {
    fetch("/sim/api/messages?after=" + last + "&wait=20", { cache: "no-store" })
      .then(function (r) { if (!r.ok) throw new Error(r.statusText); return r.json(); })
      .then(function (msgs) {
        msgs.forEach(function (m) {
          if (m.seq > last) { last = m.seq; show(m); }
        });
        poll();
      })
      .catch(function () { setTimeout(poll, 2000); });
  }
  poll();

  document.getElementById("samples").addEventListener("click", function () {
    post("/sim/api/samples", {}).then(function (j) { status(j.message); },
      function (e) { status(e.message); });
  });
})();
