/* domstub.js: a tiny DOM for running src/static/waportal.js under node: elements, text, simple selectors, an HTML reader for our templates, fake timers and fetch. */
"use strict";

/* Elements that never have children in HTML (SVG ones close with "/>"). */
const VOID = new Set(["meta", "link", "input", "br", "img", "hr", "source"]);

function decode(s) {
	return s.replace(/&(lt|gt|amp|quot|#39|#x27);/g, function (m, e) {
		return { lt: "<", gt: ">", amp: "&", quot: "\"", "#39": "'", "#x27": "'" }[e];
	});
}

class Node {
	constructor(doc) {
		this.ownerDocument = doc;
		this.parentNode = null;
		this.childNodes = [];
	}

	appendChild(c) {
		if (c.parentNode !== null)
			c.remove();
		c.parentNode = this;
		this.childNodes.push(c);
		return c;
	}

	remove() {
		if (this.parentNode === null)
			return;
		const s = this.parentNode.childNodes;
		s.splice(s.indexOf(this), 1);
		this.parentNode = null;
	}
}

class Text extends Node {
	constructor(doc, data) {
		super(doc);
		this.data = String(data);
	}

	get textContent() {
		return this.data;
	}
}

/* One compound selector: tag, #id, .class and [attr] / [attr="v"] parts, no combinators. */
function parseSelector(sel) {
	const m = /^([a-z][a-z0-9]*)?((?:[.#][\w-]+|\[[\w-]+(?:="[^"]*")?\])*)$/.exec(sel);
	if (m === null)
		throw new Error("domstub: selector not supported: " + sel);
	const parts = [];
	const re = /\.([\w-]+)|#([\w-]+)|\[([\w-]+)(?:="([^"]*)")?\]/g;
	let p;
	while ((p = re.exec(m[2])) !== null)
		parts.push(p[1] !== undefined ? { cls: p[1] } : p[2] !== undefined ? { attr: "id", val: p[2] } :
		    { attr: p[3], val: p[4] });
	return { tag: m[1], parts: parts };
}

class Element extends Node {
	constructor(doc, tag, attrs) {
		super(doc);
		this.tagName = tag.toLowerCase();
		this.attrs = Object.assign({}, attrs || {});
		this.listeners = {};
	}

	getAttribute(n) { return Object.prototype.hasOwnProperty.call(this.attrs, n) ? this.attrs[n] : null; }
	setAttribute(n, v) { this.attrs[n] = String(v); }
	hasAttribute(n) { return this.getAttribute(n) !== null; }
	removeAttribute(n) { delete this.attrs[n]; }

	get hidden() { return this.hasAttribute("hidden"); }
	set hidden(v) { if (v) this.setAttribute("hidden", ""); else this.removeAttribute("hidden"); }
	get className() { return this.getAttribute("class") || ""; }
	set className(v) { this.setAttribute("class", v); }
	get classList() {
		const el = this;
		return { contains: function (c) { return el.className.split(/\s+/).indexOf(c) >= 0; } };
	}

	get children() { return this.childNodes.filter(function (c) { return c instanceof Element; }); }
	get firstElementChild() { return this.children[0] || null; }

	get textContent() {
		return this.childNodes.map(function (c) { return c.textContent; }).join("");
	}

	set textContent(v) {
		this.childNodes.forEach(function (c) { c.parentNode = null; });
		this.childNodes = [];
		if (String(v) !== "")
			this.appendChild(new Text(this.ownerDocument, v));
	}

	get innerHTML() { return this.rawHTML === undefined ? null : this.rawHTML; }
	set innerHTML(html) {
		this.textContent = "";
		this.rawHTML = html;
		parseInto(this.ownerDocument, this, html);
	}

	/*
	 * Form controls: an input's value (the attribute until set), an
	 * option's (its text without one), a select's chosen option
	 * (selectedIndex: the one set, else the last with "selected", else
	 * the first).
	 */
	get options() { return this.querySelectorAll("option"); }
	get selectedIndex() {
		const o = this.options;
		if (this.chosen !== undefined)
			return this.chosen;
		for (let i = o.length - 1; i >= 0; i--)
			if (o[i].hasAttribute("selected"))
				return i;
		return o.length > 0 ? 0 : -1;
	}
	set selectedIndex(i) { this.chosen = i; }
	get value() {
		if (this.tagName === "select") {
			const o = this.options[this.selectedIndex];
			return o === undefined ? "" : o.value;
		}
		if (this.current !== undefined)
			return this.current;
		const v = this.getAttribute("value");
		return v !== null ? v : this.tagName === "option" ? this.textContent : "";
	}
	set value(v) {
		if (this.tagName === "select")
			this.chosen = this.options.findIndex(function (o) { return o.value === String(v); });
		else
			this.current = String(v);
	}

	addEventListener(t, f) { (this.listeners[t] = this.listeners[t] || []).push(f); }
	/* Run the listeners of event type t with ev (or { type: t }). */
	dispatch(t, ev) {
		(this.listeners[t] || []).slice().forEach(function (f) { f(ev || { type: t }); });
	}

	matches(sel) {
		const s = typeof sel === "string" ? parseSelector(sel) : sel;
		const el = this;
		if (s.tag !== undefined && s.tag !== this.tagName)
			return false;
		return s.parts.every(function (p) {
			if (p.cls !== undefined)
				return el.classList.contains(p.cls);
			return p.val === undefined ? el.hasAttribute(p.attr) : el.getAttribute(p.attr) === p.val;
		});
	}

	querySelectorAll(sel) {
		const s = parseSelector(sel), out = [];
		(function walk(n) {
			n.children.forEach(function (c) {
				if (c.matches(s))
					out.push(c);
				walk(c);
			});
		})(this);
		return out;
	}

	querySelector(sel) {
		return this.querySelectorAll(sel)[0] || null;
	}
}

/* Read our templates' HTML (well-formed, quoted attributes) into parent. */
function parseInto(doc, parent, html) {
	const re = /<!--[\s\S]*?-->|<\/([a-zA-Z][\w:-]*)\s*>|<([a-zA-Z][\w:-]*)((?:\s+[^\s=>\/]+(?:="[^"]*")?)*)\s*(\/?)>|<!DOCTYPE[^>]*>|([^<]+)/g;
	const stack = [parent];
	let m;
	while ((m = re.exec(html)) !== null) {
		const top = stack[stack.length - 1];
		if (m[1] !== undefined) {
			const tag = m[1].toLowerCase();
			while (stack.length > 1 && stack.pop().tagName !== tag)
				;
		} else if (m[2] !== undefined) {
			const attrs = {}, ar = /([^\s=>\/]+)(?:="([^"]*)")?/g;
			let a;
			while ((a = ar.exec(m[3])) !== null)
				attrs[a[1].toLowerCase()] = a[2] === undefined ? "" : decode(a[2]);
			const el = top.appendChild(new Element(doc, m[2], attrs));
			if (m[4] !== "/" && !VOID.has(el.tagName))
				stack.push(el);
		} else if (m[5] !== undefined) {
			top.appendChild(new Text(doc, decode(m[5])));
		}
	}
	return parent;
}

class Document {
	constructor(html) {
		this.hidden = false;
		this.listeners = {};
		this.body = new Element(this, "body", {});
		if (html !== undefined)
			parseInto(this, this.body, html);
	}

	createElement(tag) { return new Element(this, tag, {}); }
	createTextNode(s) { return new Text(this, s); }
	querySelectorAll(sel) { return this.body.querySelectorAll(sel); }
	querySelector(sel) { return this.body.querySelector(sel); }
	addEventListener(t, f) { (this.listeners[t] = this.listeners[t] || []).push(f); }
	removeEventListener(t, f) {
		this.listeners[t] = (this.listeners[t] || []).filter(function (g) { return g !== f; });
	}
	dispatch(t) { (this.listeners[t] || []).slice().forEach(function (f) { f({ type: t }); }); }
	setHidden(h) { this.hidden = h; this.dispatch("visibilitychange"); }
}

/* A response as fetch() gives it; body undefined: its json() fails. */
function response(status, body) {
	return {
		status: status,
		ok: status >= 200 && status < 300,
		json: function () {
			return body === undefined ? Promise.reject(new SyntaxError("bad JSON")) : Promise.resolve(body);
		}
	};
}

/*
 * The browser environment waportal.js's poller takes, with a clock
 * that only moves in advance(ms) and a fetch that answers with
 * env.respond(url, init) (a response, a promise, or a throw).
 */
function fakeEnv(doc) {
	const env = {
		doc: doc,
		now: 0,
		seq: 0,
		timers: new Map(),
		fetches: [],
		reloads: 0,
		respond: function () { return response(200, {}); },
		setTimeout: function (f, ms) {
			const id = ++env.seq;
			env.timers.set(id, { at: env.now + ms, ms: ms, f: f });
			return id;
		},
		clearTimeout: function (id) { env.timers.delete(id); },
		random: function () { return 0.5; },
		reload: function () { env.reloads++; },
		fetch: function (url, init) {
			env.fetches.push({ url: url, init: init });
			return Promise.resolve().then(function () { return env.respond(url, init); });
		},
		/* The delays of the pending poll timers (not the request guards). */
		polls: function () {
			return Array.from(env.timers.values()).filter(function (t) {
				return t.f.name === "tick";
			}).map(function (t) { return t.ms; });
		},
		settle: async function () {
			for (let i = 0; i < 5; i++)
				await new Promise(function (r) { setImmediate(r); });
		},
		/* Move the clock by ms, running each timer when it falls due. */
		advance: async function (ms) {
			const end = env.now + ms;
			for (;;) {
				let next = null;
				env.timers.forEach(function (t, id) {
					if (t.at <= end && (next === null || t.at < env.timers.get(next).at))
						next = id;
				});
				if (next === null)
					break;
				const t = env.timers.get(next);
				env.timers.delete(next);
				env.now = t.at;
				t.f();
				await env.settle();
			}
			env.now = end;
			await env.settle();
		}
	};
	return env;
}

/* A TAP producer. */
function tap() {
	let n = 0, failed = 0;
	const t = {
		ok: function (cond, desc) {
			n++;
			if (!cond)
				failed++;
			console.log((cond ? "ok " : "not ok ") + n + " - " + desc);
			return !!cond;
		},
		is: function (got, want, desc) {
			const pass = t.ok(JSON.stringify(got) === JSON.stringify(want), desc);
			if (!pass)
				console.log("#   got:  " + JSON.stringify(got) + "\n#   want: " + JSON.stringify(want));
			return pass;
		},
		done: function () {
			console.log("1.." + n);
			return failed;
		}
	};
	return t;
}

module.exports = { Document: Document, Element: Element, Text: Text, parseInto: parseInto,
    response: response, fakeEnv: fakeEnv, tap: tap };
