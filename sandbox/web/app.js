// agencybot sandbox page: vanilla JS, no framework. Texts arrive as plain
// text plus Telegram entities and are turned into DOM nodes here; nothing
// from the bot or a user is ever assigned to innerHTML.
"use strict";
window.__errors = [];
window.addEventListener("error", (e) => window.__errors.push(String(e.message)));
window.addEventListener("unhandledrejection", (e) => window.__errors.push(String(e.reason)));

const $ = (id) => document.getElementById(id);
const S = {
  bot: { username: "", name: "agencybot" },
  personas: [], chats: {}, active: 0, revs: {}, menus: {}, seen: {},
  reply: null, commands: [], force: null, menuIndex: -1,
  tz: "Asia/Ho_Chi_Minh", texts: {},
};

// text is one of the page's words in the language of the person on screen.
function text(key) {
  const p = S.personas.find((x) => x.id === S.active);
  const t = S.texts[(p && p.lang) || "vi"] || S.texts.vi || {};
  return t[key] || "";
}
function renderTexts() { $("tt-note").textContent = text("tt_states"); }

async function api(path, body) {
  const opts = body === undefined ? {} : {
    method: "POST", headers: { "X-Sandbox": "1" },
    body: body instanceof FormData ? body : JSON.stringify(body),
  };
  if (body !== undefined && !(body instanceof FormData)) opts.headers["Content-Type"] = "application/json";
  const r = await fetch(path, opts);
  const data = await r.json().catch(() => ({}));
  if (!r.ok) throw new Error(data.error || r.statusText);
  return data;
}

function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

function initials(p) {
  const w = (p.first + " " + p.last).split(/\s+/).filter(Boolean);
  return ((w[0] || "?")[0] + (w.length > 1 ? w[w.length - 1][0] : "")).toUpperCase();
}

// ---- toasts -------------------------------------------------------------
let toastTimer = 0;
function showToast(text, alert) {
  const t = $("toast");
  t.textContent = text;
  t.className = "toast" + (alert ? " alert" : "");
  t.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { t.hidden = true; }, alert ? 5000 : 2800);
}
$("toast").addEventListener("click", () => { $("toast").hidden = true; });

// ---- formatting: Telegram entities to DOM ---------------------------------
function safeURL(u) {
  try {
    const url = new URL(u, location.href);
    return ["http:", "https:", "tg:", "mailto:"].includes(url.protocol) ? url.href : "";
  } catch (e) { return ""; }
}

function renderText(text, entities) {
  const ents = (entities || []).slice().sort((a, b) => a.offset - b.offset || b.length - a.length);
  const frag = document.createDocumentFragment();
  build(frag, text, 0, text.length, ents);
  return frag;
}

function build(parent, text, start, end, ents) {
  let pos = start;
  let i = 0;
  while (i < ents.length) {
    const e = ents[i];
    const eEnd = e.offset + e.length;
    if (e.offset < pos || eEnd > end) { i++; continue; }
    if (e.offset > pos) linkify(parent, text.slice(pos, e.offset));
    const inner = [];
    let j = i + 1;
    while (j < ents.length && ents[j].offset < eEnd) { if (ents[j].offset + ents[j].length <= eEnd) inner.push(ents[j]); j++; }
    const node = entityNode(e, text.slice(e.offset, eEnd));
    build(node, text, e.offset, eEnd, inner);
    parent.appendChild(node);
    pos = eEnd;
    i = j;
  }
  if (pos < end) linkify(parent, text.slice(pos, end));
}

// linkify shows bare URLs as links, as Telegram's apps do.
function linkify(parent, s) {
  const re = /https?:\/\/[^\s<>"]+[^\s<>".,;:!?)\]]/g;
  let last = 0;
  for (const m of s.matchAll(re)) {
    if (m.index > last) parent.appendChild(document.createTextNode(s.slice(last, m.index)));
    const a = entityNode({ type: "url" }, m[0]);
    a.textContent = m[0];
    parent.appendChild(a);
    last = m.index + m[0].length;
  }
  if (last < s.length) parent.appendChild(document.createTextNode(s.slice(last)));
}

function entityNode(e, inner) {
  switch (e.type) {
    case "bold": return el("b");
    case "italic": return el("i");
    case "underline": return el("u");
    case "strikethrough": return el("s");
    case "code": return el("code");
    case "pre": return el("pre");
    case "blockquote": case "expandable_blockquote": return el("blockquote");
    case "spoiler": { const s = el("span", "spoiler"); s.addEventListener("click", () => s.classList.add("shown")); return s; }
    case "bot_command": {
      const s = el("span", "cmd");
      s.addEventListener("click", () => sendText(inner.replace("@" + S.bot.username, "")));
      return s;
    }
    case "text_link": case "url": {
      const href = safeURL(e.type === "url" ? inner : e.url);
      if (!href) return el("span");
      const a = el("a");
      a.href = href;
      a.rel = "noopener noreferrer";
      a.target = "_blank";
      a.addEventListener("click", (ev) => { if (openBotLink(href)) ev.preventDefault(); });
      return a;
    }
    default: return el("span");
  }
}

// openBotLink turns t.me/<bot>?start=… (and tg://resolve) into a /start in
// the chat on screen, as Telegram does when you open such a link.
function openBotLink(href) {
  let url;
  try { url = new URL(href); } catch (e) { return false; }
  const bot = S.bot.username.toLowerCase();
  let start = null;
  if ((url.hostname === "t.me" || url.hostname === "telegram.me") && url.pathname.replace(/^\//, "").toLowerCase() === bot) {
    start = url.searchParams.get("start");
    if (start === null) start = "";
  } else if (url.protocol === "tg:" && (url.searchParams.get("domain") || "").toLowerCase() === bot) {
    start = url.searchParams.get("start") || "";
  }
  if (start === null) return false;
  pickPersona(start ? "/start " + start : "/start");
  return true;
}

// pickPersona asks who opens a link to the bot (the newcomer, usually: the
// coordinator sends them the invite), then opens it in that person's chat.
function pickPersona(command) {
  const box = $("picker-list");
  box.textContent = "";
  const order = S.personas.slice().sort((a, b) => (b.role === "newcomer") - (a.role === "newcomer"));
  for (const p of order) {
    const b = el("button", "pick");
    b.type = "button";
    b.dataset.persona = p.id;
    b.appendChild(el("span", "avatar role-" + p.role, initials(p)));
    const t = el("span", "pick-body");
    t.appendChild(el("span", "person-name", p.first + " " + p.last));
    t.appendChild(el("span", "person-sub", p.title));
    b.appendChild(t);
    b.addEventListener("click", async () => {
      $("picker").hidden = true;
      await selectPersona(p.id);
      sendText(command);
    });
    box.appendChild(b);
  }
  $("picker").hidden = false;
}
$("picker-cancel").addEventListener("click", () => { $("picker").hidden = true; });

// ---- people ----------------------------------------------------------------
function renderPeople() {
  const ul = $("persona-list");
  ul.textContent = "";
  for (const p of S.personas) {
    const c = S.chats[p.id] || {};
    const li = el("li", "person" + (p.id === S.active ? " active" : ""));
    li.dataset.persona = p.id;
    li.dataset.role = p.role;
    li.setAttribute("role", "button");
    li.tabIndex = 0;
    li.appendChild(el("div", "avatar role-" + p.role, initials(p)));
    const body = el("div", "person-body");
    body.appendChild(el("div", "person-name", p.first + " " + p.last));
    body.appendChild(el("div", "person-short", p.short));
    body.appendChild(el("div", "person-sub", p.title));
    body.appendChild(el("div", "person-last", c.last || "—"));
    li.appendChild(body);
    if (c.unread && p.id !== S.active) {
      const u = el("span", "unread", String(c.unread));
      u.setAttribute("aria-label", c.unread + " tin chưa đọc");
      li.appendChild(u);
    }
    li.addEventListener("click", () => selectPersona(p.id));
    li.addEventListener("keydown", (ev) => { if (ev.key === "Enter") selectPersona(p.id); });
    ul.appendChild(li);
  }
}

function activePersona() { return S.personas.find((p) => p.id === S.active); }

async function selectPersona(id) {
  if (S.active !== id) { S.reply = null; S.seen = {}; }
  S.active = id;
  $("messages").dataset.persona = "";
  localStorage.setItem("sandbox.persona", String(id));
  const p = activePersona();
  $("chat-sub").textContent = "Bạn là " + p.first + " " + p.last + " · " + p.title;
  $("lang").value = p.lang;
  renderTexts();
  hideMenu();
  renderPeople();
  await loadChat(true);
  $("input").focus();
}

// ---- chat ------------------------------------------------------------------
// fmtTime shows a message's time in the bot's zone (the sandbox's), not the
// browser's: the bot's texts say 10:07, so must the bubbles.
function fmtTime(unix) {
  const d = new Date(unix * 1000);
  const o = { hour: "2-digit", minute: "2-digit", hourCycle: "h23" };
  try { return d.toLocaleTimeString("vi-VN", { ...o, timeZone: S.tz }); }
  catch (e) { return d.toLocaleTimeString("vi-VN", o); } // an unknown zone name
}

function fmtSize(n) {
  if (!n) return "";
  if (n < 1024) return n + " B";
  if (n < 1048576) return (n / 1024).toFixed(0) + " KB";
  return (n / 1048576).toFixed(1) + " MB";
}

function messageNode(m) {
  const wrap = el("div", "msg " + (m.out ? "out" : "in"));
  wrap.dataset.id = m.id;
  const b = el("div", "bubble");
  if (m.reply_to) {
    const q = el("div", "quote");
    q.appendChild(el("b", "", m.reply_to.bot ? S.bot.name : "Bạn"));
    q.appendChild(document.createTextNode(m.reply_to.text || "…"));
    q.addEventListener("click", () => {
      const t = document.querySelector('.msg[data-id="' + m.reply_to.id + '"]');
      if (t) { t.scrollIntoView({ block: "center" }); t.classList.remove("flash"); void t.offsetWidth; t.classList.add("flash"); }
    });
    b.appendChild(q);
  }
  if (m.photo) {
    const a = el("a");
    a.href = "/api/file/" + encodeURIComponent(m.photo.id);
    a.target = "_blank";
    const img = el("img", "photo");
    img.src = a.href;
    img.alt = "ảnh";
    if (m.photo.width && m.photo.height) { img.width = m.photo.width; img.height = m.photo.height; img.style.height = "auto"; }
    a.appendChild(img);
    b.appendChild(a);
  }
  if (m.document) {
    const a = el("a", "doc");
    a.href = "/api/file/" + encodeURIComponent(m.document.id) + "?download=1";
    a.download = m.document.name || "file";
    a.appendChild(el("span", "doc-icon", "⬇"));
    const t = el("span");
    t.appendChild(el("div", "doc-name", m.document.name || "tệp"));
    t.appendChild(el("div", "doc-size", fmtSize(m.document.size) + " · tải về"));
    a.appendChild(t);
    b.appendChild(a);
  }
  if (m.sticker) b.appendChild(el("span", "", m.sticker));
  if (m.text) { const t = el("span", "text"); t.appendChild(renderText(m.text, m.entities)); b.appendChild(t); }
  const meta = el("span", "meta", (m.edited ? "đã sửa " : "") + fmtTime(m.date));
  if (!m.out) {
    const rb = el("button", "reply-btn", "↩");
    rb.type = "button";
    rb.title = "Trả lời tin này";
    rb.addEventListener("click", () => setReply(m.id, m.text || (m.document && m.document.name) || "ảnh"));
    meta.appendChild(rb);
  }
  b.appendChild(meta);
  wrap.appendChild(b);
  if (m.keyboard && m.keyboard.length) {
    const kb = el("div", "kb");
    for (const row of m.keyboard) {
      const r = el("div", "kb-row");
      for (const btn of row) {
        if (btn.url) {
          const a = el("a", "", btn.text + " ↗");
          a.href = safeURL(btn.url) || "#";
          a.target = "_blank";
          a.rel = "noopener noreferrer";
          a.addEventListener("click", (ev) => { if (openBotLink(a.href)) ev.preventDefault(); });
          r.appendChild(a);
        } else {
          const x = el("button", "", btn.text);
          x.type = "button";
          x.addEventListener("click", () => press(m.id, btn.data, x));
          r.appendChild(x);
        }
      }
      kb.appendChild(r);
    }
    wrap.appendChild(kb);
  }
  return wrap;
}

let loading = null;
async function loadChat(jump) {
  const id = S.active;
  const p = (loading || Promise.resolve()).then(() => api("/api/chat?id=" + id));
  loading = p.catch(() => {});
  let chat;
  try { chat = await p; } catch (e) { showToast(e.message); return; }
  if (id !== S.active) return;
  S.revs[id] = chat.rev;
  S.menus[id] = (S.chats[id] || {}).menu;
  S.commands = chat.commands || [];
  $("menu-btn").hidden = !S.commands.length; // as in Telegram: no commands, no Menu button
  S.force = chat.force_reply || null;
  const who = activePersona();
  if (chat.title && who) { who.title = chat.title; $("chat-sub").textContent = "Bạn là " + who.first + " " + who.last + " · " + who.title; }
  const box = $("messages");
  const nearBottom = box.scrollHeight - box.scrollTop - box.clientHeight < 80;
  box.textContent = "";
  box.dataset.persona = id;
  if (!chat.messages.length) {
    box.appendChild(el("div", "empty", "Chưa có tin nhắn. Gõ /start hoặc mở ☰ Menu để xem các lệnh của bot."));
  }
  const seen = S.seen;
  S.seen = {};
  for (const m of chat.messages) {
    const node = messageNode(m);
    const sig = JSON.stringify([m.text, m.keyboard, m.edited]);
    if (seen[m.id] !== undefined && seen[m.id] !== sig) node.classList.add("flash");
    S.seen[m.id] = sig;
    box.appendChild(node);
  }
  if (S.force && !S.reply) setReply(S.force.id, textOf(chat.messages, S.force.id), S.force.placeholder, true);
  else if (!S.force && S.reply && S.reply.forced) clearReply();
  if (jump || nearBottom) box.scrollTop = box.scrollHeight;
}

function textOf(msgs, id) {
  const m = msgs.find((x) => x.id === id);
  return m ? m.text.split("\n")[0] : "";
}

function setReply(id, text, placeholder, forced) {
  S.reply = { id, forced: !!forced };
  $("reply-text").textContent = (text || "").split("\n")[0];
  $("replybar").hidden = false;
  $("input").placeholder = placeholder || "Tin nhắn";
  $("input").focus();
}

function clearReply() {
  S.reply = null;
  $("replybar").hidden = true;
  $("input").placeholder = "Tin nhắn";
}
$("reply-cancel").addEventListener("click", clearReply);

async function sendText(text) {
  text = text.trim();
  if (!text) return;
  const body = { id: S.active, text };
  if (S.reply) body.reply_to = S.reply.id;
  clearReply();
  hideMenu();
  try { await api("/api/send", body); } catch (e) { showToast(e.message); }
}

async function press(messageId, data, button) {
  button.disabled = true;
  try { await api("/api/press", { id: S.active, message_id: messageId, data }); }
  catch (e) { showToast(e.message); }
  finally { setTimeout(() => { button.disabled = false; }, 600); }
}

// ---- composer and command menu ------------------------------------------------
const input = $("input");
$("composer").addEventListener("submit", (ev) => {
  ev.preventDefault();
  const m = visibleMenuChoice();
  const text = m || input.value;
  input.value = "";
  autosize();
  sendText(text);
});
input.addEventListener("keydown", (ev) => {
  const menu = $("menu");
  if (!menu.hidden && (ev.key === "ArrowDown" || ev.key === "ArrowUp")) {
    ev.preventDefault();
    const n = menu.children.length;
    S.menuIndex = (S.menuIndex + (ev.key === "ArrowDown" ? 1 : n - 1)) % n;
    [...menu.children].forEach((c, i) => c.classList.toggle("hl", i === S.menuIndex));
    return;
  }
  if (ev.key === "Escape") { hideMenu(); return; }
  if (ev.key === "Enter" && !ev.shiftKey) { ev.preventDefault(); $("composer").requestSubmit(); }
});
input.addEventListener("input", () => {
  autosize();
  const v = input.value;
  if (v.startsWith("/") && !v.includes(" ")) showMenu(v.slice(1)); else hideMenu();
});
function autosize() { input.style.height = "auto"; input.style.height = Math.min(input.scrollHeight, 140) + "px"; }

function showMenu(filter) {
  const menu = $("menu");
  menu.textContent = "";
  S.menuIndex = -1;
  const list = S.commands.filter((c) => c.command.startsWith((filter || "").toLowerCase()));
  if (!list.length) { hideMenu(); return; }
  for (const c of list) {
    const b = el("button");
    b.type = "button";
    b.dataset.command = c.command;
    b.appendChild(el("span", "c", "/" + c.command));
    b.appendChild(el("span", "d", c.description));
    b.addEventListener("click", () => { input.value = ""; sendText("/" + c.command); });
    menu.appendChild(b);
  }
  menu.hidden = false;
}
function hideMenu() { $("menu").hidden = true; S.menuIndex = -1; }
function visibleMenuChoice() {
  const menu = $("menu");
  if (menu.hidden || S.menuIndex < 0) return "";
  return "/" + menu.children[S.menuIndex].dataset.command;
}
$("menu-btn").addEventListener("click", async () => {
  if (!$("menu").hidden) { hideMenu(); return; }
  await loadChat(false); // the menu may have changed (a newcomer linked, say)
  showMenu("");
});

$("file").addEventListener("change", async () => {
  const f = $("file").files[0];
  if (!f) return;
  const fd = new FormData();
  fd.append("id", String(S.active));
  fd.append("file", f);
  fd.append("caption", input.value.trim());
  input.value = "";
  $("file").value = "";
  try { await api("/api/upload", fd); } catch (e) { showToast(e.message); }
});

$("lang").addEventListener("change", async () => {
  const lang = $("lang").value;
  try {
    await api("/api/lang", { id: S.active, lang });
    activePersona().lang = lang;
    renderTexts();
    showToast(lang === "en" ? "Telegram language: English. Write to the bot to see it answer in English." : "Ngôn ngữ Telegram: Tiếng Việt.");
  } catch (e) { showToast(e.message); }
});

// ---- time travel and reset -----------------------------------------------------
let runKind = "reminders";
for (const b of document.querySelectorAll(".tt-buttons button")) b.addEventListener("click", () => { runKind = b.dataset.kind; });
$("tt-form").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  const at = $("tt-at").value;
  try {
    const r = await api("/api/run", { kind: runKind, at });
    const what = runKind === "digest" ? "bản tin" : "nhắc việc";
    showToast(r.queued > 0 ? "Đã gửi " + r.queued + " tin " + what + " như vào " + r.at + "."
      : "Không có tin " + what + " nào cho " + r.at + " (lượt này đã chạy rồi, hoặc không có gì đến hạn).");
  } catch (e) { showToast(e.message); }
});

let resetArmed = 0;
$("reset").addEventListener("click", async () => {
  const b = $("reset");
  if (!resetArmed) {
    b.textContent = "Chắc chắn? Bấm lần nữa";
    resetArmed = setTimeout(() => { resetArmed = 0; b.textContent = "↺ Đặt lại"; }, 4000);
    return;
  }
  clearTimeout(resetArmed);
  resetArmed = 0;
  b.textContent = "Đang đặt lại…";
  b.disabled = true;
  try { await api("/api/reset", {}); showToast("Đã trở về dữ liệu mẫu."); }
  catch (e) { showToast(e.message); }
  finally { b.disabled = false; b.textContent = "↺ Đặt lại"; }
});

// ---- live updates ------------------------------------------------------------
function onChats(list) {
  let reload = false;
  for (const c of list) {
    S.chats[c.id] = c;
    if (c.id === S.active && (c.rev !== S.revs[c.id] || c.menu !== S.menus[c.id])) reload = true;
  }
  renderPeople();
  if (reload) loadChat(false);
}

function listen() {
  const es = new EventSource("/api/events");
  es.onmessage = (ev) => {
    const e = JSON.parse(ev.data);
    if (e.type === "chats") onChats(e.data);
    else if (e.type === "toast") {
      const who = S.personas.find((p) => p.id === e.data.persona);
      showToast((who && who.id !== S.active ? who.first + " " + who.last + ": " : "") + e.data.text, e.data.alert);
    } else if (e.type === "reset") { S.revs = {}; S.seen = {}; clearReply(); start(); }
  };
}

async function start() {
  let st;
  try { st = await api("/api/state"); }
  catch (e) { setTimeout(start, 1000); return; }
  S.bot = st.bot;
  S.personas = st.personas;
  S.tz = st.tz || S.tz;
  S.texts = st.texts || {};
  if (S.tz !== "Asia/Ho_Chi_Minh") $("tz").textContent = S.tz;
  for (const c of st.chats) S.chats[c.id] = c;
  $("bot-name").textContent = st.bot.name;
  $("bot-user").textContent = "@" + st.bot.username;
  const saved = Number(localStorage.getItem("sandbox.persona"));
  const first = S.personas.find((p) => p.id === saved) || S.personas[0];
  await selectPersona(first.id);
}

start().then(listen);
