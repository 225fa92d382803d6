/* Booking chat widget. Embed with one tag:
 *   <script src="https://GATEWAY/static/widget.js" defer></script>
 * It talks to the gateway it was loaded from over a WebSocket (/chat/ws), falls back to
 * POST /chat while the socket is down, reconnects with backoff, and keeps the session id and
 * the transcript in localStorage so a reload continues the same conversation. The chat links
 * to the booking page (/book) for customers who would rather pick a time themselves.
 *
 * With data-mode="booking" the same tag shows the booking page itself, inline where the tag
 * is (a frame of /book?embed=1, as tall as its content), instead of the chat bubble. The
 * business's site must be listed in BOOKING_EMBED_ORIGINS for the gateway to let it frame. */
(function () {
  "use strict";
  var script = document.currentScript;
  var base = (script && script.getAttribute("data-gateway")) || new URL(script.src).origin;
  if (script && script.getAttribute("data-mode") === "booking") {
    bookingFrame();
    return;
  }
  var KEY = "booking-widget", MAX_HISTORY = 200;
  var state = load();
  var socket = null, retries = 0, waiting = 0;

  function load() {
    try {
      var saved = JSON.parse(localStorage.getItem(KEY) || "null");
      if (saved && saved.sender) return saved;
    } catch (e) { /* unreadable storage: start a new conversation */ }
    var id = (crypto.randomUUID ? crypto.randomUUID() : String(Date.now()) + Math.random()).replace(/[^a-zA-Z0-9-]/g, "");
    return {sender: "web-" + id.slice(0, 36), history: [], open: false};
  }
  function save() {
    state.history = state.history.slice(-MAX_HISTORY);
    try { localStorage.setItem(KEY, JSON.stringify(state)); } catch (e) { /* full: keep going */ }
  }
  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text) node.textContent = text;
    return node;
  }

  function bookingFrame() {
    var frame = el("iframe", {src: base + "/book?embed=1", title: "Book an appointment",
                              loading: "lazy"});
    frame.style.cssText = "display:block;width:100%;min-height:640px;border:0";
    window.addEventListener("message", function (event) {
      var data = event.data;
      if (event.origin === new URL(base).origin && event.source === frame.contentWindow && data &&
          data.type === "booking-height" && data.height > 0) {
        frame.style.height = Math.ceil(data.height) + "px";
      }
    });
    if (script.parentNode && script.parentNode !== document.head) {
      script.parentNode.insertBefore(frame, script.nextSibling);
    } else {
      document.body.appendChild(frame);
    }
  }

  var css = el("link", {rel: "stylesheet", href: base + "/static/widget.css"});
  document.head.appendChild(css);
  var launcher = el("button", {"class": "bw-launcher", type: "button", "aria-expanded": "false",
                               "aria-controls": "bw-panel"}, "Book an appointment");
  var panel = el("section", {id: "bw-panel", "class": "bw-panel", role: "dialog",
                             "aria-label": "Booking assistant", hidden: ""});
  var head = el("div", {"class": "bw-head"});
  var title = el("div");
  title.appendChild(el("h2", {}, "Booking assistant"));
  var status = el("div", {"class": "bw-status", role: "status"}, "connecting…");
  title.appendChild(status);
  var close = el("button", {"class": "bw-close", type: "button", "aria-label": "Close chat"}, "×");
  head.appendChild(title); head.appendChild(close);
  var log = el("div", {"class": "bw-log", role: "log", "aria-live": "polite", tabindex: "0",
                       "aria-label": "Conversation"});
  var typing = el("div", {"class": "bw-typing", hidden: ""}, "Assistant is typing…");
  var form = el("form", {"class": "bw-form"});
  var label = el("label", {"for": "bw-input", "class": "bw-sr"}, "Your message");
  var input = el("input", {id: "bw-input", type: "text", autocomplete: "off", maxlength: "1000",
                           placeholder: "Type a message…"});
  var send = el("button", {type: "submit"}, "Send");
  form.appendChild(label); form.appendChild(input); form.appendChild(send);
  var self = el("a", {"class": "bw-self", href: base + "/book"}, "Prefer to pick a time yourself?");
  self.style.cssText = "display:block;padding:8px 14px;background:#f7f6fb;color:#3b2790;" +
    "font-size:14px;text-decoration:underline";
  panel.appendChild(head); panel.appendChild(self); panel.appendChild(log);
  panel.appendChild(typing); panel.appendChild(form);
  document.body.appendChild(launcher); document.body.appendChild(panel);

  function show(entry) {
    if (entry.who === "choices") {
      var group = el("div", {"class": "bw-choices", role: "group", "aria-label": "Suggestions"});
      entry.buttons.forEach(function (b) {
        var button = el("button", {type: "button"}, b.title);
        button.addEventListener("click", function () { say(b.payload || b.title, b.title); });
        group.appendChild(button);
      });
      log.appendChild(group);
    } else {
      log.appendChild(el("div", {"class": "bw-msg bw-" + entry.who}, entry.text));
    }
    log.scrollTop = log.scrollHeight;
  }
  function add(entry) { state.history.push(entry); save(); show(entry); }
  function setTyping(on) { waiting = Math.max(0, waiting + (on ? 1 : -1)); typing.hidden = waiting === 0; }

  function received(replies) {
    setTyping(false);
    (replies || []).forEach(function (r) {
      if (r.text) add({who: "bot", text: r.text});
      if (r.buttons && r.buttons.length) add({who: "choices", buttons: r.buttons});
    });
  }
  function failed(message) { setTyping(false); add({who: "bot", text: message}); }

  function say(message, shown) {
    if (!message.trim()) return;
    add({who: "user", text: shown || message});
    setTyping(true);
    if (socket && socket.readyState === WebSocket.OPEN) {
      socket.send(JSON.stringify({message: message}));
    } else {
      fetch(base + "/chat", {method: "POST", headers: {"Content-Type": "application/json"},
                             body: JSON.stringify({sender: state.sender, message: message})})
        .then(function (r) { return r.json(); })
        .then(function (body) { body.replies ? received(body.replies) : failed(body.error.message); })
        .catch(function () { failed("Sorry, I can't reach the assistant. Please try again."); });
    }
  }

  function connect() {
    var url = base.replace(/^http/, "ws") + "/chat/ws?sender=" + encodeURIComponent(state.sender);
    socket = new WebSocket(url);
    socket.onopen = function () { retries = 0; status.textContent = "online"; };
    socket.onmessage = function (event) {
      var data = JSON.parse(event.data);
      if (data.type === "replies") received(data.replies);
      else if (data.type === "error") failed(data.error.message);
    };
    socket.onclose = function () {
      status.textContent = "reconnecting…";
      var delay = Math.min(30000, 500 * Math.pow(2, retries++));
      setTimeout(connect, delay);
    };
  }

  function toggle(open) {
    state.open = open; save();
    panel.hidden = !open;
    launcher.setAttribute("aria-expanded", String(open));
    if (open) {
      input.focus();
      if (!state.history.length) say("hello", "Hello");
    } else {
      launcher.focus();
    }
  }
  launcher.addEventListener("click", function () { toggle(panel.hidden); });
  close.addEventListener("click", function () { toggle(false); });
  panel.addEventListener("keydown", function (e) { if (e.key === "Escape") toggle(false); });
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var text = input.value; input.value = "";
    say(text);
  });

  state.history.forEach(show);
  connect();
  if (state.open) { panel.hidden = false; launcher.setAttribute("aria-expanded", "true"); }
})();
