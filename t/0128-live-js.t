#!/bin/sh
# 0128-live-js.t: waportal.js's live refresh under node with a DOM stub: polling, in-place updates (QR page, hosts, message lists and a message's page, an import's progress), visibility, back-off, stopping.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
[ -z "${WAPORTAL_TEST_SANITIZERS:-}" ] || { echo "1..0 # SKIP runs in the normal tree: no C code of ours to check under the sanitizers"; exit 0; }
top=${top_srcdir:?}
command -v node >/dev/null || { echo "1..0 # SKIP node is not installed"; exit 0; }
node --check "$top/src/static/waportal.js" || { echo "1..1"; echo "not ok 1 - waportal.js parses"; exit 0; }

exec node - "$top" <<'EOF'
"use strict";
const top = process.argv[2];
const D = require(top + "/t/lib/domstub.js");
const W = require(top + "/src/static/waportal.js");
const t = D.tap();
t.ok(true, "waportal.js parses (node --check) and loads without a browser");

/* The QR page while a QR is required: the hooks instance.mustache renders. */
const INSTANCE = `
<noscript><meta http-equiv="refresh" content="5"></noscript>
<div class="inst-live" data-live-instance="/whatsapp/instances/7/live.json" data-live-every="3"
  data-text-paused="Paused" data-text-retry="Retrying">
<p role="status"><span data-f="status" class="badge badge--qr_required">QR required</span> · Host: demo</p>
<a class="button" href="/whatsapp/instances/7" data-live-show="linking">Refresh</a>
<p class="live-note" data-live-note role="status" hidden></p>
<div class="flash flash--warning" role="status" data-live-show="qr_error" hidden>No code</div>
<section class="card" data-live-show="connected" hidden>
  <dl class="facts"><dt>Phone</dt><dd data-f="phone"></dd>
  <dt data-live-show="push_name" hidden>Name</dt><dd data-f="push_name" data-live-show="push_name" hidden></dd></dl>
</section>
<section class="card qr-card" data-live-show="qr">
  <div class="qr-box" data-f="qr"><svg class="qr" viewBox="0 0 29 29"><title>Scan</title><path d="M4 4h7v1h-7z"/></svg></div>
</section>
<section class="card form-card" data-live-show="qr_required"><form method="post"></form></section>
</div>`;

const HOSTS = `
<div class="hosts-live" data-live-hosts="/hosts/live.json" data-live-every="15" data-text-on="Live"
  data-text-paused="Paused" data-text-retry="Retrying" data-text-changed="Changed: refresh" data-text-full="full">
<p class="live-note" data-live-note role="status" hidden></p>
<svg class="host-map__svg">
  <g class="host-map__host host-map__host--up" data-host-id="1" data-label="jkt-1 · Jakarta, ID" transform="translate(10 10)"><title>jkt-1 · Jakarta, ID: up</title><use href="#map-mk-up"/></g>
</svg>
<ul>
<li class="card host" data-host-id="1">
  <p class="card__headline" data-f="health">jkt-1 <span class="badge badge--connected">up</span></p>
  <meter class="host__meter" min="0" max="2" value="1" data-f="meter">1 / 2</meter>
  <dl class="facts">
    <dd class="num" data-f="used">1 / 2</dd>
    <dd class="num" data-f="free">1</dd>
    <dd class="num" data-f="latency">12 ms</dd>
    <dd data-f="checked"><time datetime="2025-01-01T00:00:00Z">2025-01-01 00:00 UTC</time></dd>
  </dl>
</li>
<li class="card host" data-host-id="2">
  <p class="card__headline" data-f="health">sgp-1 <span class="badge badge--cancelled">not checked yet</span></p>
  <meter class="host__meter" min="0" max="4" value="0" data-f="meter">0 / 4</meter>
  <dl class="facts">
    <dd class="num" data-f="used">0 / 4</dd>
    <dd class="num" data-f="free">4</dd>
    <dd class="num" data-f="latency">—</dd>
    <dd data-f="checked">—</dd>
  </dl>
</li>
</ul>
</div>`;

/* The Sent tab (messages.mustache): one sent row, one queued row (on the
 * Queue tab, with Cancel), the note for newer rows. */
const LIST = `
<div class="msg-live" data-live-msgs="/whatsapp/sent/live.json?ids=12,11&amp;since=12" data-live-every="5"
  data-text-paused="Paused" data-text-retry="Retrying">
<p class="live-note" data-live-note role="status" hidden></p>
<p class="live-note" data-live-show="newer" hidden>Newer: <span class="num" data-f="newer"></span> · <a href="/whatsapp/sent">show them</a></p>
<table><tbody>
<tr data-msg-id="12">
  <td class="msg-text">hello</td>
  <td>
    <span class="badge badge--sent" data-f="status">sent</span>
    <small class="msg-note" data-live-show="attempts" hidden>Tries: <span class="num" data-f="attempts">0</span></small>
    <small class="msg-note msg-note--error" data-f="error" data-live-show="error" hidden></small>
  </td>
  <td><dl class="msg-times">
    <dt>Added</dt><dd><time datetime="2025-01-15T14:20:01Z">2025-01-15 21:20:01</time></dd>
    <dt data-live-show="sent">Sent</dt><dd data-f="sent" data-live-show="sent"><time datetime="2025-01-15T14:20:03Z">2025-01-15 21:20:03</time></dd>
    <dt data-live-show="delivered" hidden>Delivered</dt><dd data-f="delivered" data-live-show="delivered" hidden></dd>
    <dt data-live-show="read" hidden>Read</dt><dd data-f="read" data-live-show="read" hidden></dd>
    <dt data-live-show="failed" hidden>Failed</dt><dd data-f="failed" data-live-show="failed" hidden></dd>
  </dl></td>
  <td class="actions"><a href="/whatsapp/messages/12">Details</a></td>
</tr>
<tr data-msg-id="11">
  <td class="msg-text">older</td>
  <td>
    <span class="badge badge--queued" data-f="status">queued</span>
    <small class="msg-note" data-live-show="attempts" hidden>Tries: <span class="num" data-f="attempts">0</span></small>
    <small class="msg-note msg-note--error" data-f="error" data-live-show="error" hidden></small>
  </td>
  <td class="actions"><a href="/whatsapp/messages/11">Details</a>
    <span data-live-show="cancellable">· <a href="/whatsapp/messages/11/cancel">Cancel message</a></span></td>
</tr>
</tbody></table>
</div>`;

/* A message's page (msg_detail.mustache) while it is queued. */
const DETAIL = `
<div class="msg-live" data-live-msgs="/whatsapp/queue/live.json?ids=11" data-live-every="5"
  data-text-paused="Paused" data-text-retry="Retrying">
<p class="live-note" data-live-note role="status" hidden></p>
<section class="card msg-card" data-msg-id="11">
  <h2>Message #11 <span class="badge badge--queued" data-f="status">queued</span></h2>
  <dl class="facts">
    <dt data-live-show="sent" hidden>Sent</dt><dd class="msg-time" data-f="sent" data-live-show="sent" hidden></dd>
    <dt data-live-show="delivered" hidden>Delivered</dt><dd class="msg-time" data-f="delivered" data-live-show="delivered" hidden></dd>
    <dt data-live-show="read" hidden>Read</dt><dd class="msg-time" data-f="read" data-live-show="read" hidden></dd>
    <dt data-live-show="attempts" hidden>Tries</dt><dd class="num" data-f="attempts" data-live-show="attempts" hidden>0</dd>
  </dl>
  <p><a class="button button--danger" href="/whatsapp/messages/11/cancel" data-live-show="cancellable">Cancel message</a></p>
</section>
</div>`;

/* A live row as page_msg_list.c's msglist_live_row writes it. */
const msg = (id, status, extra) => Object.assign({ id: id, status: status, status_word: status, attempts: 0, error: "",
    cancellable: status === "queued", moving: true,
    created_at: "2025-01-15T14:20:01Z", created_text: "2025-01-15 21:20:01", sent_at: null, sent_text: null,
    delivered_at: null, delivered_text: null, read_at: null, read_text: null, failed_at: null, failed_text: null,
    cancelled_at: null, cancelled_text: null }, extra || {});
const SENT12 = { sent_at: "2025-01-15T14:20:03Z", sent_text: "2025-01-15 21:20:03" };

const SVG_A = '<svg class="qr" viewBox="0 0 29 29"><title>Scan</title><path d="M4 4h7v1h-7zA"/></svg>';
const SVG_B = '<svg class="qr" viewBox="0 0 29 29"><title>Scan</title><path d="M4 4h7v1h-7zB"/></svg>';
const linking = (svg, extra) => Object.assign({ id: 7, status: "qr_required", status_word: "QR required",
    phone: "", push_name: "", linking: true, refresh: 3, qr_svg: svg }, extra || {});
const qrPath = (doc) => {
	const p = doc.querySelector("[data-f=\"qr\"]").querySelector("path");
	return p === null ? null : p.getAttribute("d");
};
const shown = (doc, key) => doc.querySelectorAll("[data-live-show=\"" + key + "\"]").every((e) => !e.hidden);
const note = (doc) => { const n = doc.querySelector("[data-live-note]"); return n.hidden ? null : n.textContent; };

async function instancePage() {
	const doc = new D.Document(INSTANCE), env = D.fakeEnv(doc);
	let answer = D.response(200, linking(SVG_A));
	env.respond = () => answer;
	const ps = W.startLive(doc, env);
	t.is(ps.length, 1, "qr page: one poller for the instance");
	t.is(env.polls(), [3000], "qr page: the first poll is due in 3 s (data-live-every)");
	await env.advance(2999);
	t.is(env.fetches.length, 0, "qr page: nothing is fetched before then");
	await env.advance(1);
	t.is(env.fetches.length, 1, "qr page: one request after 3 s");
	t.is(env.fetches[0].url, "/whatsapp/instances/7/live.json", "... to the page's live.json");
	t.is(env.fetches[0].init.credentials, "same-origin", "... with the session cookie, same origin only");
	t.is(qrPath(doc), "M4 4h7v1h-7zA", "a rotated QR is swapped in place");
	t.is(env.polls(), [3000], "... and the next poll is 3 s later");
	const before = doc.querySelector("[data-f=\"qr\"]").firstElementChild;
	await env.advance(3000);
	t.ok(doc.querySelector("[data-f=\"qr\"]").firstElementChild === before, "the same QR again: the SVG is left alone");
	answer = D.response(200, linking('<img src="x" onerror="alert(1)">'));
	await env.advance(3000);
	t.is(qrPath(doc), "M4 4h7v1h-7zA", "markup that is not qr.c's <svg class=\"qr\"> is never inserted");
	t.ok(doc.querySelector("img") === null, "... no <img> in the page");

	/* The gateway had no QR: keep the last one, say so, back off. */
	answer = D.response(200, linking(undefined, { qr_error: true }));
	await env.advance(3000);
	t.ok(shown(doc, "qr_error") && shown(doc, "qr"), "gateway without a QR: the warning shows, the last QR stays");
	t.is(env.polls(), [6000], "... and the next poll backs off to 6 s");
	answer = D.response(200, linking(SVG_B));
	await env.advance(6000);
	t.ok(!shown(doc, "qr_error") && qrPath(doc) === "M4 4h7v1h-7zB", "a QR again: warning gone, new QR in");
	t.is(env.polls(), [3000], "... back to every 3 s");

	/* Errors back off, doubling up to a minute; success resets. */
	answer = D.response(500, { title: "x" });
	const waits = [];
	for (let i = 0; i < 6; i++) {
		await env.advance(env.polls()[0]);
		waits.push(env.polls()[0]);
	}
	t.is(waits, [6000, 12000, 24000, 48000, 60000, 60000], "HTTP 500s back off: 6, 12, 24, 48, 60, 60 s");
	t.is(note(doc), "Retrying", "... the note says it is retrying");
	env.respond = () => { throw new TypeError("network down"); };
	await env.advance(60000);
	t.is(env.polls(), [60000], "a network error keeps the back-off");
	env.respond = () => D.response(200, undefined);
	await env.advance(60000);
	t.is(env.polls(), [60000], "a body that is not JSON too");
	env.respond = () => answer;
	answer = D.response(200, linking(SVG_B));
	await env.advance(60000);
	t.is(env.polls(), [3000], "a good answer: back to every 3 s");
	t.is(note(doc), null, "... and the note is gone");

	/* A request that hangs is given up after 10 s. */
	env.respond = (u, init) => new Promise((res, rej) => {
		init.signal.addEventListener("abort", () => rej(new Error("aborted")));
	});
	await env.advance(3000);
	const n = env.fetches.length;
	t.is(env.polls(), [], "a hanging request: no second poll is queued meanwhile");
	await env.advance(10000);
	t.is(env.polls(), [6000], "... it is aborted after 10 s and counts as an error");
	t.is(env.fetches.length, n, "... with no request overlapping it");
	env.respond = () => answer;

	/* Hidden while a request is out: its answer queues no next poll. */
	let release;
	env.respond = () => new Promise((res) => { release = () => res(answer); });
	await env.advance(6000);
	doc.setHidden(true);
	release();
	await env.settle();
	t.is(env.polls(), [], "hidden while a request was out: no poll is queued after its answer");
	doc.setHidden(false);
	await env.settle();
	release();
	await env.settle();
	env.respond = () => answer;
	t.is(env.polls(), [3000], "... visible again: it asks at once and goes on every 3 s");

	/* A hidden tab does not poll. */
	await env.advance(3000);
	const seen = env.fetches.length;
	doc.setHidden(true);
	t.is(env.polls(), [], "tab hidden: the poll timer is cleared");
	t.is(note(doc), "Paused", "... and the note says updates are paused");
	await env.advance(120000);
	t.is(env.fetches.length, seen, "... nothing is fetched for two minutes");
	doc.setHidden(false);
	await env.settle();
	t.is(env.fetches.length, seen + 1, "visible again: it polls at once");
	t.is(env.polls(), [3000], "... then every 3 s again");

	/* The scan: connected in place, and polling stops. */
	answer = D.response(200, { id: 7, status: "connected", status_word: "connected", phone: "+6281234567890",
	    push_name: "<b>Sim</b> & co", linking: false });
	await env.advance(3000);
	const badge = doc.querySelector("[data-f=\"status\"]");
	t.is([badge.className, badge.textContent], ["badge badge--connected", "connected"], "connected: the badge in words");
	t.ok(shown(doc, "connected"), "... the linked card shows");
	t.is(doc.querySelector("[data-f=\"phone\"]").textContent, "+6281234567890", "... with the number");
	const pn = doc.querySelector("[data-f=\"push_name\"]");
	t.ok(pn.textContent === "<b>Sim</b> & co" && pn.children.length === 0 && shown(doc, "push_name"),
	    "... and the push name, as text (no markup from the gateway)");
	t.ok(!shown(doc, "qr") && !shown(doc, "qr_required") && !shown(doc, "linking"),
	    "... the QR, the pairing form and the refresh link are gone");
	t.is(env.polls(), [], "... and polling stopped");
	const done = env.fetches.length;
	doc.setHidden(true);
	doc.setHidden(false);
	await env.advance(60000);
	t.is(env.fetches.length, done, "... for good: not even after the tab comes back");
	t.is(env.reloads, 0, "connected needs no reload");
}

async function reloads() {
	for (const [what, res] of [["HTTP 401 (signed out)", D.response(401, {})],
	    ["HTTP 404 (instance gone)", D.response(404, {})],
	    ["status failed", D.response(200, { status: "failed", status_word: "failed" })],
	    ["status disconnected", D.response(200, { status: "disconnected", status_word: "disconnected" })]]) {
		const doc = new D.Document(INSTANCE), env = D.fakeEnv(doc);
		env.respond = () => res;
		W.startLive(doc, env);
		await env.advance(3000);
		await env.advance(60000);
		t.ok(env.reloads === 1 && env.fetches.length === 1 && env.polls().length === 0,
		    what + ": one reload (the server renders that page), no more polling");
	}
	const doc = new D.Document(INSTANCE.replace("data-live-instance=\"/whatsapp", "data-live-instance=\"//evil.example"));
	t.is(W.startLive(doc, D.fakeEnv(doc)).length, 0, "a live URL that is not a same-origin path is not polled");
	const plain = new D.Document("<div><p>no live parts</p></div>");
	t.is(W.startLive(plain, D.fakeEnv(plain)).length, 0, "a page without data-live-* polls nothing");
}

async function hostsPage() {
	const doc = new D.Document(HOSTS), env = D.fakeEnv(doc);
	const h1 = { id: 1, used: 2, capacity: 2, free: 0, full: true, status: "degraded", status_word: "degraded",
	    badge: "qr_required", latency_ms: 80, latency_text: "80 ms", checked_at: "2025-02-02T10:00:00Z",
	    checked_at_text: "2025-02-02 10:00 UTC" };
	const h2 = { id: 2, used: 1, capacity: 4, free: 3, full: false, status: "up", status_word: "<img src=x>",
	    badge: "connected x", latency_ms: null, latency_text: "—", checked_at: null, checked_at_text: "—" };
	env.respond = () => D.response(200, { refresh: 15, hosts: [h1, h2] });
	W.startLive(doc, env);
	t.is(note(doc), "Live", "hosts: the note says the figures update by themselves");
	t.is(env.polls(), [15000], "hosts: polled every 15 s");
	await env.advance(15000);
	const c1 = doc.querySelectorAll(".host")[0], c2 = doc.querySelectorAll(".host")[1];
	const f = (c, k) => c.querySelector("[data-f=\"" + k + "\"]");
	t.is(f(c1, "health").querySelector(".badge").className, "badge badge--qr_required", "host 1: the badge's class");
	t.is(f(c1, "health").textContent, "jkt-1 degraded", "... its word, the name kept");
	t.is([f(c1, "meter").getAttribute("max"), f(c1, "meter").getAttribute("value")], ["2", "2"], "... the meter");
	t.is(f(c1, "used").textContent, "2 / 2", "... used of capacity");
	t.ok(f(c1, "free").textContent === "0 full" && f(c1, "free").querySelector(".badge") !== null,
	    "... free 0 with the 'full' badge");
	t.is(f(c1, "latency").textContent, "80 ms", "... the latency");
	const tm = f(c1, "checked").querySelector("time");
	t.ok(tm !== null && tm.getAttribute("datetime") === "2025-02-02T10:00:00Z" &&
	    tm.textContent === "2025-02-02 10:00 UTC", "... when it was checked, in a <time datetime>");
	const mk = doc.querySelector(".host-map__host");
	t.is([mk.getAttribute("class"), mk.querySelector("use").getAttribute("href"), mk.querySelector("title").textContent],
	    ["host-map__host host-map__host--degraded", "#map-mk-degraded", "jkt-1 · Jakarta, ID: degraded"],
	    "host 1's map marker: class, shape and title follow its health");
	t.ok(f(c2, "health").textContent === "sgp-1 <img src=x>" && doc.querySelector("img") === null,
	    "host 2: words from JSON go in as text");
	t.is(f(c2, "health").querySelector(".badge").className, "badge badge--unknown", "... a class that is not a plain token is not used");
	t.ok(f(c2, "free").textContent === "3" && f(c2, "checked").textContent === "—" &&
	    f(c2, "checked").querySelector("time") === null, "... free 3, never checked");
	t.is(note(doc), "Live", "... no change of hosts: the note stays");

	env.respond = () => D.response(200, { refresh: 15, hosts: [h1, h2, Object.assign({}, h2, { id: 3 })] });
	await env.advance(15000);
	t.is(note(doc), "Changed: refresh", "a host the page does not list: the note asks for a refresh");
	env.respond = () => D.response(200, { refresh: 15, hosts: [Object.assign({}, h1, { used: 1, free: 1, full: false })] });
	await env.advance(15000);
	t.ok(note(doc) === "Changed: refresh" && f(c1, "used").textContent === "1 / 2" &&
	    f(c1, "free").querySelector(".badge") === null, "a host gone: still asks; the others still update (not full any more)");
	t.is(env.polls(), [15000], "... and it keeps polling");
}


async function messageLists() {
	const doc = new D.Document(LIST), env = D.fakeEnv(doc);
	const row = (id) => doc.querySelectorAll("[data-msg-id]").filter((e) => e.getAttribute("data-msg-id") === id)[0];
	const f = (id, k) => row(id).querySelector("[data-f=\"" + k + "\"]");
	const rowShown = (id, k) => row(id).querySelectorAll("[data-live-show=\"" + k + "\"]").every((e) => !e.hidden);
	let answer = D.response(200, { refresh: 5, moving: true, newer: 0, rows: [
	    msg(12, "delivered", Object.assign({}, SENT12, { delivered_at: "2025-01-15T14:20:04Z", delivered_text: "2025-01-15 21:20:04" })),
	    msg(11, "sending", { attempts: 2, error: "<b>the gateway</b> did not answer", cancellable: false })] });
	env.respond = () => answer;
	t.is(W.startLive(doc, env).length, 1, "message list: one poller for the list");
	t.is(env.polls(), [5000], "message list: the first poll is due in 5 s (data-live-every)");
	await env.advance(5000);
	t.is(env.fetches.map((x) => x.url), ["/whatsapp/sent/live.json?ids=12,11&since=12"], "... to the list's live.json, naming the rows shown");
	t.is([f("12", "status").className, f("12", "status").textContent], ["badge badge--delivered", "delivered"],
	    "a row's badge turns delivered in place");
	const dt = f("12", "delivered").querySelector("time");
	t.ok(rowShown("12", "delivered") && dt !== null && dt.getAttribute("datetime") === "2025-01-15T14:20:04Z" &&
	    dt.textContent === "2025-01-15 21:20:04", "... its Delivered time appears, to the second, in a <time datetime>");
	t.ok(rowShown("12", "sent") && f("12", "sent").textContent === "2025-01-15 21:20:03", "... its Sent time stays");
	t.ok(!rowShown("12", "read") && !rowShown("12", "failed"), "... the steps it has not reached stay hidden");
	t.is([f("11", "status").className, f("11", "status").textContent], ["badge badge--sending", "sending"], "the other row: sending");
	t.ok(rowShown("11", "attempts") && f("11", "attempts").textContent === "2", "... with its tries");
	t.ok(rowShown("11", "error") && f("11", "error").textContent === "<b>the gateway</b> did not answer" &&
	    f("11", "error").children.length === 0 && doc.querySelector("b") === null, "... and the reason, as text");
	t.ok(!rowShown("11", "cancellable"), "... Cancel hidden, now that it is being sent");
	t.ok(!shown(doc, "newer"), "no newer rows: the note stays hidden");
	t.is(env.polls(), [5000], "... and it polls on every 5 s");

	answer = D.response(200, { refresh: 5, moving: false, newer: 3, rows: [
	    msg(12, "read", Object.assign({}, SENT12, { moving: false, read_at: "2025-01-15T14:20:39Z", read_text: "2025-01-15 21:20:39",
	        delivered_at: "2025-01-15T14:20:04Z", delivered_text: "2025-01-15 21:20:04" })),
	    msg(11, "sent x", { sent_at: "2025-01-15T14:21:00Z", sent_text: "2025-01-15 21:21:00" }),
	    msg(99, "queued")] });
	await env.advance(5000);
	t.ok(f("12", "status").textContent === "read" && rowShown("12", "read") && f("12", "read").textContent === "2025-01-15 21:20:39",
	    "read: the badge and the Read time, in place");
	t.is(f("11", "status").className, "badge badge--unknown", "a status that is not a plain token is not used as a class");
	t.ok(!rowShown("11", "attempts") && !rowShown("11", "error"), "tries and reason gone when the JSON has none");
	t.is(doc.querySelectorAll("[data-msg-id]").length, 2, "a row the page does not show is not added");
	t.ok(shown(doc, "newer") && doc.querySelector("[data-f=\"newer\"]").textContent === "3", "3 newer rows: the note says 3, with its link");
	t.is(env.polls(), [5000], "... nothing moves, but a first page keeps polling for newer rows");
	answer = D.response(200, { refresh: 5, moving: false, newer: 100, rows: [] });
	await env.advance(5000);
	t.is(doc.querySelector("[data-f=\"newer\"]").textContent, "99+", "100 newer (the server's cap): 99+");
	answer = D.response(200, { refresh: 5, moving: false, newer: 0, rows: [] });
	await env.advance(5000);
	t.ok(!shown(doc, "newer"), "... and none again: hidden");
	t.is(env.reloads, 0, "no reload");
}

async function messagePage() {
	const doc = new D.Document(DETAIL), env = D.fakeEnv(doc);
	const card = doc.querySelector("[data-msg-id]");
	let answer = D.response(200, { refresh: 5, moving: true, rows: [msg(11, "sent", { sent_at: "2025-01-15T14:20:03Z",
	    sent_text: "2025-01-15 21:20:03" })] });
	env.respond = () => answer;
	W.startLive(doc, env);
	await env.advance(5000);
	t.is(env.fetches[0].url, "/whatsapp/queue/live.json?ids=11", "a message's page: polls its tab's live.json for its id");
	t.ok(card.querySelector("[data-f=\"status\"]").textContent === "sent" && shown(doc, "sent") && !shown(doc, "cancellable"),
	    "... sent: the badge, the Sent time, no Cancel any more");
	t.is(env.polls(), [5000], "... and it keeps watching while it moves");
	answer = D.response(200, { refresh: 5, moving: false, rows: [msg(11, "read", { moving: false,
	    sent_at: "2025-01-15T14:20:03Z", sent_text: "2025-01-15 21:20:03",
	    delivered_at: "2025-01-15T14:20:04Z", delivered_text: "2025-01-15 21:20:04",
	    read_at: "2025-01-15T14:20:39Z", read_text: "2025-01-15 21:20:39" })] });
	await env.advance(5000);
	t.ok(shown(doc, "sent") && shown(doc, "delivered") && shown(doc, "read") &&
	    card.querySelector("[data-f=\"read\"]").textContent === "2025-01-15 21:20:39", "read: every step's time shows");
	t.is(env.polls(), [], "... nothing moves any more: polling stops");
	const n = env.fetches.length;
	await env.advance(60000);
	t.ok(env.fetches.length === n && env.reloads === 0, "... for good, without a reload");
	const gone = new D.Document(DETAIL), genv = D.fakeEnv(gone);
	genv.respond = () => D.response(401, {});
	W.startLive(gone, genv);
	await genv.advance(5000);
	t.is(genv.reloads, 1, "signed out meanwhile (401): one reload");
}
/* A running import's page: the hooks import_job.mustache renders. */
const IMPORT = `
<section class="card" data-live-job="/contacts/import/9/live.json" data-live-every="2">
<h2><span class="badge" data-job-state>Waiting</span></h2>
<progress class="im-progress" max="100" value="0" data-job-bar>0 %</progress>
<p><span data-job-percent>0</span> % · <span data-job-rows>0</span> rows read<span data-job-eta-wrap hidden> · Time left: <span data-job-eta></span> s</span></p>
</section>`;

async function importPage() {
	const doc = new D.Document(IMPORT), env = D.fakeEnv(doc);
	let answer = { state: "running", state_word: "<b>Running</b>", percent: 40, rows: 1200, eta_s: 12, over: false };
	env.respond = (url) => { t.is(url, "/contacts/import/9/live.json", "import: polls its live.json"); return D.response(200, answer); };
	t.is(W.startLive(doc, env).length, 1, "import: one poller");
	t.is(env.polls(), [2000], "import: every 2 s");
	await env.advance(2000);
	const q = (sel) => doc.querySelector(sel);
	t.is(String(q("[data-job-bar]").value), "40", "import: the bar moves to the percent");
	t.is([q("[data-job-percent]").textContent, q("[data-job-rows]").textContent], ["40", "1200"],
	    "... the percent and the rows read");
	t.is(q("[data-job-state]").textContent, "<b>Running</b>", "... the state's word, as text");
	t.ok(!q("[data-job-eta-wrap]").hidden && q("[data-job-eta]").textContent === "12", "... the time left shown");
	answer = { state: "running", state_word: "Running", percent: 41, rows: 1230, over: false };
	await env.advance(2000);
	t.ok(q("[data-job-eta-wrap]").hidden, "... hidden when the answer has none");
	answer = { state: "done", state_word: "Done", percent: 100, rows: 3000, over: true };
	await env.advance(2000);
	t.is(env.reloads, 1, "import: over, the page reloads to show its report");
}

(async () => {
	await instancePage();
	await reloads();
	await hostsPage();
	await messageLists();
	await messagePage();
	await importPage();
	t.done();
	process.exit(0);
})().catch((e) => { console.log("not ok - died: " + (e && e.stack || e).toString().replace(/\n/g, "\n# ")); console.log("1..999"); process.exit(0); });
EOF
