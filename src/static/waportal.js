/* waportal.js: small progressive enhancements; every page works without it (strict CSP: no inline code). */
"use strict";

var waportal = (function () {
	/* <button data-copy="ID">: copy the text of element ID. */
	function copy(ev) {
		var btn = ev.currentTarget;
		var el = document.getElementById(btn.getAttribute("data-copy"));
		if (el === null || !navigator.clipboard)
			return;
		navigator.clipboard.writeText(el.textContent.trim()).then(function () {
			var label = btn.textContent;
			btn.textContent = btn.getAttribute("data-copied") || "Copied";
			setTimeout(function () { btn.textContent = label; }, 2000);
		});
	}

	/* A close button on each flash message. */
	function dismissable(flash) {
		var b = document.createElement("button");
		b.type = "button";
		b.className = "flash__close";
		b.setAttribute("aria-label", flash.getAttribute("data-close") || "Dismiss");
		b.textContent = "\u00d7";
		b.addEventListener("click", function () { flash.remove(); });
		flash.appendChild(b);
	}

	/* <form data-confirm="ID">: open <dialog id=ID> first; its submit button confirms. */
	function confirmable(form) {
		var dlg = document.getElementById(form.getAttribute("data-confirm"));
		if (dlg === null || typeof dlg.showModal !== "function")
			return;
		form.addEventListener("submit", function (ev) {
			if (form.dataset.confirmed === "1")
				return;
			ev.preventDefault();
			dlg.showModal();
		});
		dlg.addEventListener("close", function () {
			if (dlg.returnValue === "confirm") {
				form.dataset.confirmed = "1";
				form.requestSubmit();
			}
		});
	}

	/* ------------------------------------------------------------ live refresh */
	/*
	 * The QR page, the Hosts page, the Queue and Sent tabs and a message's
	 * page poll their live.json (docs/live.md) and update in place. Everything from the server goes in with
	 * textContent or setAttribute; the one innerHTML is qr.c's SVG.
	 */

	var LIVE_MAX_BACKOFF = 60000;	/* ms: the longest wait after errors */
	var LIVE_TIMEOUT = 10000;	/* ms: a request that takes longer failed */
	var LINKING = { qr_required: true, connecting: true };
	/* The steps of a message a live row shows: key_at and key_text in its JSON. */
	var MSG_STEPS = ["created", "sent", "delivered", "read", "failed", "cancelled"];

	/*
	 * poller(o): fetch o.url every o.every ms while the page is visible
	 * and hand the JSON to o.apply, which answers "ok", "soft" (applied,
	 * but back off: the gateway had no QR), "changed" (ok, but the page
	 * is out of date), "stop" (a final state) or "reload". HTTP errors
	 * and bad JSON back off, doubling up to a minute; 401, 403 and 404
	 * reload the page (signed out, or the thing is gone). o.note(state)
	 * says "on", "paused", "retry" or "changed". o.env holds the
	 * browser's doc, fetch, setTimeout, clearTimeout, random and reload,
	 * so a test can drive it. Returns {stop, state}.
	 */
	function poller(o) {
		var env = o.env, doc = env.doc;
		var timer = null, busy = false, stopped = false, errors = 0;
		var sticky = null;

		function note(s) {
			o.note(s === "on" && sticky !== null ? sticky : s);
		}

		function delay() {
			var d = Math.min(o.every * Math.pow(2, errors), LIVE_MAX_BACKOFF);
			return Math.round(d * (0.9 + 0.2 * env.random()));
		}

		function schedule(ms) {
			if (stopped || doc.hidden || timer !== null)
				return;
			timer = env.setTimeout(tick, ms);
		}

		function stop() {
			stopped = true;
			if (timer !== null)
				env.clearTimeout(timer);
			timer = null;
			doc.removeEventListener("visibilitychange", visibility);
		}

		function outcome(r) {
			if (r === "reload" || r === "stop") {
				stop();
				if (r === "reload")
					env.reload();
				return;
			}
			if (r === "soft") {
				errors++;
				note("retry");
				return;
			}
			if (r === "changed")
				sticky = "changed";
			errors = 0;
			note("on");
		}

		function answer(res) {
			if (res.status === 401 || res.status === 403 || res.status === 404)
				return "reload";
			if (!res.ok)
				throw new Error("HTTP " + res.status);
			return res.json().then(function (data) {
				if (data === null || typeof data !== "object")
					throw new Error("not an object");
				return o.apply(data);
			});
		}

		function tick() {
			var ctl = typeof AbortController === "function" ? new AbortController() : null;
			var guard;

			timer = null;
			if (stopped || busy || doc.hidden)
				return;
			busy = true;
			guard = env.setTimeout(function () { if (ctl) ctl.abort(); }, LIVE_TIMEOUT);
			Promise.resolve().then(function () {
				return env.fetch(o.url, { credentials: "same-origin", cache: "no-store",
				    headers: { Accept: "application/json" }, signal: ctl ? ctl.signal : undefined });
			}).then(answer).then(outcome, function () {
				errors++;
				note("retry");
			}).then(function () {
				env.clearTimeout(guard);
				busy = false;
				schedule(delay());
			});
		}

		/* Hidden: no polling at all; visible again: poll at once. */
		function visibility() {
			if (stopped)
				return;
			if (doc.hidden) {
				if (timer !== null)
					env.clearTimeout(timer);
				timer = null;
				note("paused");
			} else if (!busy) {
				note(errors > 0 ? "retry" : "on");
				if (timer === null)
					tick();
			}
		}

		doc.addEventListener("visibilitychange", visibility);
		note("on");
		schedule(o.every);
		return {
			stop: stop,
			state: function () {
				return { stopped: stopped, busy: busy, errors: errors,
				    waiting: timer !== null };
			}
		};
	}

	/* [data-live-show=KEY] elements shown when on, hidden otherwise. */
	function show(root, key, on) {
		root.querySelectorAll("[data-live-show=\"" + key + "\"]").forEach(function (el) {
			el.hidden = !on;
		});
	}

	function setText(root, field, text) {
		var el = root.querySelector("[data-f=\"" + field + "\"]");
		if (el !== null)
			el.textContent = text;
	}

	/* el shows a moment: a <time datetime=iso> with text, or text alone without iso. */
	function setTime(el, iso, text) {
		var t;

		el.textContent = String(text);
		if (typeof iso === "string") {
			t = el.ownerDocument.createElement("time");
			t.setAttribute("datetime", iso);
			t.textContent = String(text);
			el.textContent = "";
			el.appendChild(t);
		}
	}

	/* A CSS class suffix from the server: letters and _ only. */
	function token(s) {
		return /^[a-z_]{1,32}$/.test(String(s)) ? String(s) : "unknown";
	}

	/*
	 * One live.json of an instance onto its page (root): the status in
	 * words, the QR swapped when it rotated, the linked number once
	 * connected. last.svg remembers the QR shown. Returns poller's
	 * outcome: linking goes on, connected stops, anything else reloads.
	 */
	function applyInstance(root, data, last) {
		var status = token(data.status), box = root.querySelector("[data-f=\"qr\"]");
		var badge = root.querySelector("[data-f=\"status\"]");
		var svg = data.qr_svg;

		if (!LINKING[status] && status !== "connected")
			return "reload";
		if (badge !== null) {
			badge.className = "badge badge--" + status;
			badge.textContent = String(data.status_word || status);
		}
		if (typeof svg === "string" && svg.indexOf("<svg class=\"qr\" ") === 0 &&
		    svg !== last.svg && box !== null) {
			box.innerHTML = svg;
			last.svg = svg;
		}
		setText(root, "phone", String(data.phone || ""));
		setText(root, "push_name", String(data.push_name || ""));
		show(root, "push_name", !!data.push_name);
		show(root, "linking", !!LINKING[status]);
		show(root, "qr", status === "qr_required" && box !== null &&
		    box.firstElementChild !== null);
		show(root, "qr_required", status === "qr_required");
		show(root, "qr_error", status === "qr_required" && !!data.qr_error);
		show(root, "connecting", status === "connecting");
		show(root, "connected", status === "connected");
		if (status === "connected")
			return "stop";
		return data.qr_error ? "soft" : "ok";
	}

	/* One host's card: health, meter, used, free (and full), latency, checked. */
	function updateCard(card, h, fullWord) {
		var doc = card.ownerDocument, el, badge;

		if ((el = card.querySelector("[data-f=\"health\"]")) !== null &&
		    (badge = el.querySelector(".badge")) !== null) {
			badge.className = "badge badge--" + token(h.badge);
			badge.textContent = String(h.status_word);
		}
		if ((el = card.querySelector("[data-f=\"meter\"]")) !== null) {
			el.setAttribute("max", String(h.capacity));
			el.setAttribute("value", String(h.used));
			el.textContent = h.used + " / " + h.capacity;
		}
		setText(card, "used", h.used + " / " + h.capacity);
		if ((el = card.querySelector("[data-f=\"free\"]")) !== null) {
			el.textContent = String(h.free);
			if (h.full) {
				badge = doc.createElement("span");
				badge.className = "badge badge--failed";
				badge.textContent = fullWord;
				el.appendChild(doc.createTextNode(" "));
				el.appendChild(badge);
			}
		}
		setText(card, "latency", String(h.latency_text));
		if ((el = card.querySelector("[data-f=\"checked\"]")) !== null)
			setTime(el, h.checked_at, h.checked_at_text);
	}

	/* A map marker: its shape and class by health, its tooltip. */
	function updateMarker(g, h) {
		var st = token(h.status), use = g.querySelector("use"), title = g.querySelector("title");

		g.setAttribute("class", "host-map__host host-map__host--" + st);
		if (use !== null)
			use.setAttribute("href", "#map-mk-" + st);
		if (title !== null)
			title.textContent = g.getAttribute("data-label") + ": " + h.status_word;
	}

	/*
	 * The hosts' live.json onto the Hosts page (root), matched by host
	 * id. "changed" when a host came or went (the page needs a reload to
	 * show it), else "ok".
	 */
	function applyHosts(root, data) {
		var cards = {}, marks = {}, seen = {}, changed = false, id;
		var full = root.getAttribute("data-text-full") || "full";

		root.querySelectorAll("[data-host-id]").forEach(function (el) {
			if (el.classList.contains("host-map__host"))
				marks[el.getAttribute("data-host-id")] = el;
			else
				cards[el.getAttribute("data-host-id")] = el;
		});
		(Array.isArray(data.hosts) ? data.hosts : []).forEach(function (h) {
			id = String(h.id);
			seen[id] = true;
			if (!Object.prototype.hasOwnProperty.call(cards, id)) {
				changed = true;
				return;
			}
			updateCard(cards[id], h, full);
			if (Object.prototype.hasOwnProperty.call(marks, id))
				updateMarker(marks[id], h);
		});
		Object.keys(cards).forEach(function (k) {
			if (!seen[k])
				changed = true;
		});
		return changed ? "changed" : "ok";
	}

	/*
	 * One message (a list's row or a message's card) from its live JSON:
	 * the status badge, the tries and the reason, each step's time (shown
	 * once it has one), and Cancel only while it can be.
	 */
	function updateMessage(el, m) {
		var badge = el.querySelector("[data-f=\"status\"]"), tries = Number(m.attempts) || 0;

		if (badge !== null) {
			badge.className = "badge badge--" + token(m.status);
			badge.textContent = String(m.status_word);
		}
		setText(el, "attempts", String(tries));
		show(el, "attempts", tries > 0);
		setText(el, "error", String(m.error || ""));
		show(el, "error", !!m.error);
		MSG_STEPS.forEach(function (k) {
			var at = m[k + "_at"], f = el.querySelector("[data-f=\"" + k + "\"]");
			if (typeof at === "string" && f !== null)
				setTime(f, at, m[k + "_text"]);
			show(el, k, typeof at === "string");
		});
		show(el, "cancellable", !!m.cancellable);
	}

	/*
	 * A messages live.json onto its page (root), matched by data-msg-id:
	 * each row shown is updated in place, wherever its status took it;
	 * on a first page, the count of newer rows shows with a link to
	 * them. "ok" while a row moves or newer rows are counted, else
	 * "stop" (every step is final: nothing more to watch).
	 */
	function applyMessages(root, data) {
		var rows = {};

		root.querySelectorAll("[data-msg-id]").forEach(function (el) {
			rows[el.getAttribute("data-msg-id")] = el;
		});
		(Array.isArray(data.rows) ? data.rows : []).forEach(function (m) {
			var id = String(m.id);
			if (Object.prototype.hasOwnProperty.call(rows, id))
				updateMessage(rows[id], m);
		});
		if (typeof data.newer === "number") {
			setText(root, "newer", data.newer >= 100 ? "99+" : String(data.newer));
			show(root, "newer", data.newer > 0);
		}
		return data.moving || typeof data.newer === "number" ? "ok" : "stop";
	}

	/* The root's [data-live-note] says state in the root's data-text-STATE words. */
	function noter(root) {
		var el = root.querySelector("[data-live-note]");

		return function (state) {
			var text = root.getAttribute("data-text-" + state);
			if (el === null)
				return;
			el.textContent = text || "";
			el.hidden = !text;
		};
	}

	/* A same-origin path from a data attribute, or null. */
	function localUrl(s) {
		return typeof s === "string" && /^\/[^\/\\]/.test(s) ? s : null;
	}

	function every(root) {
		var n = parseInt(root.getAttribute("data-live-every"), 10);
		return (n > 0 ? n : 15) * 1000;
	}

	/*
	 * A background job's live.json (an import, an export) onto its page
	 * (root): the bar, the percent, the rows and the time left; once it
	 * is over the page reloads to show its report or its file.
	 */
	function applyJob(root, d) {
		var set = function (sel, text) {
			var el = root.querySelector(sel);
			if (el)
				el.textContent = String(text);
		};
		var bar = root.querySelector("[data-job-bar]");
		var wrap = root.querySelector("[data-job-eta-wrap]");

		if (d.over === true)
			return "reload";
		if (bar && typeof d.percent === "number")
			bar.value = d.percent;
		set("[data-job-percent]", typeof d.percent === "number" ? d.percent : 0);
		set("[data-job-rows]", typeof d.rows === "number" ? d.rows : 0);
		set("[data-job-state]", typeof d.state_word === "string" ? d.state_word : "");
		if (wrap) {
			wrap.hidden = typeof d.eta_s !== "number";
			if (typeof d.eta_s === "number")
				set("[data-job-eta]", d.eta_s);
		}
		return "ok";
	}

	/* Start a poller for each live part of the page; returns them. */
	function startLive(doc, env) {
		var started = [];

		doc.querySelectorAll("[data-live-instance]").forEach(function (root) {
			var url = localUrl(root.getAttribute("data-live-instance")), last = { svg: null };
			if (url !== null)
				started.push(poller({ url: url, every: every(root), env: env, note: noter(root),
				    apply: function (d) { return applyInstance(root, d, last); } }));
		});
		doc.querySelectorAll("[data-live-hosts]").forEach(function (root) {
			var url = localUrl(root.getAttribute("data-live-hosts"));
			if (url !== null)
				started.push(poller({ url: url, every: every(root), env: env, note: noter(root),
				    apply: function (d) { return applyHosts(root, d); } }));
		});
		doc.querySelectorAll("[data-live-job]").forEach(function (root) {
			var url = localUrl(root.getAttribute("data-live-job"));
			if (url !== null)
				started.push(poller({ url: url, every: every(root), env: env, note: noter(root),
				    apply: function (d) { return applyJob(root, d); } }));
		});
		doc.querySelectorAll("[data-live-msgs]").forEach(function (root) {
			var url = localUrl(root.getAttribute("data-live-msgs"));
			if (url !== null)
				started.push(poller({ url: url, every: every(root), env: env, note: noter(root),
				    apply: function (d) { return applyMessages(root, d); } }));
		});
		return started;
	}

	/* Whether a key with scopes (space-separated) may call what needs scope ("": any key). */
	function mayCall(scopes, scope) {
		return scope === "" || (" " + scopes + " ").indexOf(" " + scope + " ") >= 0;
	}

	/*
	 * Keep the operation chosen in sel if a key with scopes may call it,
	 * else choose the first one it may; scopes null (a key the page does
	 * not know): leave it.
	 */
	function chooseOp(sel, scopes) {
		var opts = sel.querySelectorAll("option"), i;
		var cur = opts[sel.selectedIndex];
		if (scopes === null || (cur && mayCall(scopes, cur.getAttribute("data-scope") || "")))
			return;
		for (i = 0; i < opts.length; i++)
			if (mayCall(scopes, opts[i].getAttribute("data-scope") || "")) {
				sel.selectedIndex = i;
				return;
			}
	}

	/* A JSON answer indented two spaces a level; any other text as it is. */
	function pretty(text) {
		try {
			return JSON.stringify(JSON.parse(text), null, 2);
		} catch (e) {
			return text;
		}
	}

	/*
	 * The API docs' try-it panel: send the pasted key to a GET endpoint
	 * of this origin and show the status and the body as plain text.
	 * The list of the customer's keys (#ad-try-which, name and scopes,
	 * never a key) follows the pasted key by its visible start, and the
	 * operation follows the chosen key: one it may call.
	 */
	function tryIt(root, env) {
		var form = root.querySelector(".ad-try__form");
		var note = root.querySelector(".ad-try__nojs");
		if (form === null)
			return;
		var keyIn = form.querySelector("#ad-try-key");
		var which = form.querySelector("#ad-try-which");
		var op = form.querySelector("#ad-try-path");
		var head = form.querySelector("#ad-try-result");
		form.hidden = false;
		if (note !== null)
			note.hidden = true;
		function follow() {
			var o = which.querySelectorAll("option")[which.selectedIndex];
			chooseOp(op, o && o.hasAttribute("data-scopes") ? o.getAttribute("data-scopes") : null);
		}
		if (which !== null) {
			which.addEventListener("change", follow);
			keyIn.addEventListener("input", function () {
				var v = keyIn.value.trim(), opts = which.querySelectorAll("option"), i;
				if (v.length < 10)
					return;
				for (i = 0; i < opts.length; i++)
					if (opts[i].value === "" || opts[i].value === v.slice(0, 10))
						break;
				if (i < opts.length && i !== which.selectedIndex) {
					which.selectedIndex = i;
					follow();
				}
			});
		}
		form.addEventListener("submit", function (ev) {
			var key = keyIn.value.trim();
			var path = op.value;
			var status = form.querySelector("#ad-try-status");
			var body = form.querySelector("#ad-try-body");
			ev.preventDefault();
			if (!/^\/api\/v1\/[a-z0-9\/._-]*$/.test(path))
				return;
			if (head !== null)
				head.hidden = true;
			status.textContent = "…";
			body.textContent = "";
			env.fetch(path, { method: "GET", credentials: "omit", cache: "no-store",
			    headers: { "Authorization": "Bearer " + key } }).then(function (r) {
				if (head !== null)
					head.hidden = false;
				status.textContent = r.status + " " + r.statusText;
				return r.text();
			}).then(function (t) {
				body.textContent = pretty(t);
			}, function (e) {
				if (head !== null)
					head.hidden = false;
				status.textContent = String(e);
			});
		});
	}

	function browserEnv() {
		return {
			doc: document,
			fetch: function (u, i) { return window.fetch(u, i); },
			setTimeout: function (f, ms) { return window.setTimeout(f, ms); },
			clearTimeout: function (t) { window.clearTimeout(t); },
			random: Math.random,
			reload: function () { window.location.reload(); }
		};
	}

	if (typeof document !== "undefined")
		document.addEventListener("DOMContentLoaded", function () {
			document.querySelectorAll("[data-copy]").forEach(function (b) {
				b.hidden = false;
				b.addEventListener("click", copy);
			});
			document.querySelectorAll(".flash").forEach(dismissable);
			document.querySelectorAll("form[data-confirm]").forEach(confirmable);
			/* The sidebar menu starts open (usable without JS); fold it on phones. */
			if (window.matchMedia("(max-width: 800px)").matches)
				document.querySelectorAll(".sidebar__menu[open]").forEach(function (d) {
					d.open = false;
				});
			if (typeof window.fetch === "function" && typeof Promise === "function")
				startLive(document, browserEnv());
			if (typeof window.fetch === "function" && typeof Promise === "function")
				document.querySelectorAll(".ad-try").forEach(function (t) {
					tryIt(t, browserEnv());
				});
		});

	return { poller: poller, applyInstance: applyInstance, applyHosts: applyHosts,
	    applyMessages: applyMessages, startLive: startLive, tryIt: tryIt };
})();

if (typeof module === "object" && module !== null && module.exports)
	module.exports = waportal;
