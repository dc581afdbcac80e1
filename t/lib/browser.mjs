// browser.mjs: the browser tests' harness: headless Debian Chromium through playwright-core, axe-core, layout checks, TAP.
//
// Used by t/0400-browser.t (node, ES module).  ./dev test installs
// playwright-core and axe-core from npm into build/tools (pinned in dev)
// and Debian's chromium; tools() says why the tests must be skipped when
// one of them is missing.
//
//	import * as B from ".../t/lib/browser.mjs";
//	const why = B.missing(top);            // null, or the reason to skip
//	const br = await B.launch(top);        // one Chromium, a fresh profile
//	await B.signIn(br.page, base, email, password);
//	await B.visit(br.page, base + "/dashboard", B.WIDTHS.phone, "dark");
//	const v = await B.axe(br.page);        // axe-core violations (list)
//	const l = await B.layout(br.page);     // layout problems (list of strings)
//	await br.close();
//
// Nothing here waits on the clock: navigation waits for the load event,
// colour scheme changes are applied before the checks read computed styles.

import { createRequire } from "node:module";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

export const CHROMIUM = process.env.BROWSER_CHROMIUM || "/usr/bin/chromium";

// The flags every run uses: no GPU, no network of Chromium's own (the
// machine reaches nothing but the stack), no first-run or sync noise.
export const CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu",
	"--disable-quic", "--no-first-run", "--disable-background-networking",
	"--disable-component-update", "--disable-sync"];

// The two widths of docs/ui.md's audience: a phone and a laptop.
export const WIDTHS = {
	phone: { name: "phone", width: 390, height: 844 },
	desktop: { name: "desktop", width: 1366, height: 900 },
};
export const SCHEMES = ["light", "dark"];

function toolsDir(top) {
	return process.env.BROWSER_TOOLS || path.join(top, "build", "tools");
}

// missing(top): null when Chromium, playwright-core and axe-core are all
// there, else a sentence saying what is missing.
export function missing(top) {
	const dir = toolsDir(top);
	if (!fs.existsSync(CHROMIUM))
		return `${CHROMIUM} is not installed (./dev test installs Debian's chromium)`;
	for (const p of ["playwright-core", "axe-core"])
		if (!fs.existsSync(path.join(dir, "node_modules", p, "package.json")))
			return `${p} is not installed in ${dir} (./dev test installs it from npm)`;
	return null;
}

function req(top) {
	return createRequire(path.join(toolsDir(top), "node_modules", "x.js"));
}

// versions(top, page): "playwright-core X, axe-core Y, <user agent>".
export async function versions(top, page) {
	const r = req(top);
	return `playwright-core ${r("playwright-core/package.json").version}, ` +
	    `axe-core ${r("axe-core/package.json").version}, ` +
	    await page.evaluate(() => navigator.userAgent);
}

// launch(top): one Chromium with a fresh user-data dir and one page.
// Returns { context, page, errors, axeSource, tab(), cpu(), close() }:
// cpu() is the CPU time in seconds this Chromium's processes have used
// (a run's wall time says little on a loaded machine); errors
// collects the page's script errors and console errors (a CSP violation
// is one); tab() opens one more page in the same context (same cookies),
// { page, errors }, to check two widths side by side; close() also
// removes the profile.
export async function launch(top) {
	const { chromium } = req(top)("playwright-core");
	const profile = fs.mkdtempSync(path.join(os.tmpdir(), "waportal-chromium."));
	let context;
	try {
		context = await chromium.launchPersistentContext(profile, {
			executablePath: CHROMIUM,
			headless: true,
			args: CHROMIUM_ARGS,
			viewport: { width: WIDTHS.desktop.width, height: WIDTHS.desktop.height },
			reducedMotion: "reduce",
			timeout: 60000,
		});
	} catch (e) {
		fs.rmSync(profile, { recursive: true, force: true });
		throw e;
	}
	context.setDefaultTimeout(30000);
	context.setDefaultNavigationTimeout(30000);
	const watch = (page) => {
		const errors = [];
		page.on("pageerror", (e) => errors.push(String(e)));
		page.on("console", (m) => {
			if (m.type() === "error")
				errors.push(m.text());
		});
		return { page, errors };
	};
	const first = watch(context.pages()[0] || await context.newPage());
	const axeSource = fs.readFileSync(path.join(toolsDir(top), "node_modules",
	    "axe-core", "axe.min.js"), "utf8");
	return {
		context, page: first.page, errors: first.errors, axeSource,
		async tab() {
			return watch(await context.newPage());
		},
		cpu() {
			return chromiumCpu(profile);
		},
		async close() {
			try {
				await context.close();
			} finally {
				fs.rmSync(profile, { recursive: true, force: true });
			}
		},
	};
}

// chromiumCpu(profile): user + system seconds of the Chromium started
// with this profile and of every process under it (Linux /proc).
function chromiumCpu(profile) {
	const procs = new Map();
	for (const pid of fs.readdirSync("/proc").filter((d) => /^[0-9]+$/.test(d))) {
		try {
			const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
			const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
			const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8");
			procs.set(pid, { ppid: f[1], ticks: Number(f[11]) + Number(f[12]),
			    root: cmd.includes(`--user-data-dir=${profile}`) });
		} catch (e) {
			// gone meanwhile
		}
	}
	const inTree = (pid, seen = 0) => {
		const p = procs.get(pid);
		return p !== undefined && seen < 64 && (p.root || inTree(p.ppid, seen + 1));
	};
	let ticks = 0;
	for (const [pid, p] of procs)
		if (inTree(pid))
			ticks += p.ticks;
	return ticks / 100;
}

// signIn(page, base, email, password): through the real sign-in form;
// resolves once the dashboard has loaded.
export async function signIn(page, base, email, password) {
	await page.goto(base + "/login");
	await page.fill("#email", email);
	await page.fill("#password", password);
	await Promise.all([
		page.waitForURL((u) => !u.pathname.startsWith("/login"), { waitUntil: "load" }),
		page.click("form.auth__form button[type=submit]"),
	]);
	return new URL(page.url()).pathname;
}

// visit(page, url, width, scheme): the page loaded at that viewport (the
// width matters at load: waportal.js folds the menu on phones) in that
// colour scheme.  Returns the HTTP status.
export async function visit(page, url, width, scheme) {
	await page.setViewportSize({ width: width.width, height: width.height });
	await page.emulateMedia({ colorScheme: scheme, reducedMotion: "reduce" });
	const r = await page.goto(url, { waitUntil: "load" });
	return r ? r.status() : 0;
}

// scheme(page, scheme): switch the colour scheme of the loaded page.
export async function scheme(page, s) {
	await page.emulateMedia({ colorScheme: s, reducedMotion: "reduce" });
	// Reading a computed style applies the new media state.
	const got = await page.evaluate(() => window.matchMedia("(prefers-color-scheme: dark)").matches);
	if (got !== (s === "dark"))
		throw new Error(`colour scheme ${s} not applied`);
}

// The rules whose result a colour scheme can change: those that read
// colours. The other scheme of the same load (the same document and
// layout, only the colours differ) runs these alone: every other rule
// would give the same answer twice (a fifth of the browser test's CPU).
export const SCHEME_RULES = ["color-contrast", "link-in-text-block"];

// axe(br, page, preload, only): axe-core's violations on the page as it is:
// [{ id, impact, help, nodes: [{ target, summary }] }].  Every rule axe
// runs by default (WCAG 2.x A/AA and best practices).  preload (true by
// default) lets axe first load the style sheets and media for its two
// rules that read them (css-orientation-lock, no-autoplay-audio); a
// second run on the same load (the other colour scheme) can skip that.
// only: the ids of the rules to run (SCHEME_RULES), or every rule.
export async function axe(br, page, preload = true, only = null) {
	// Evaluated through the DevTools protocol, which the page's CSP
	// (script-src 'self') does not govern; a <script> tag would be blocked.
	if (!(await page.evaluate(() => typeof window.axe === "object")))
		await page.evaluate(br.axeSource + "\n;void 0");
	const res = await page.evaluate(async ([preload, only]) => {
		const opts = { resultTypes: ["violations"], preload };
		if (only)
			opts.runOnly = { type: "rule", values: only };
		const r = await window.axe.run(document, opts);
		return r.violations.map((v) => ({
			id: v.id, impact: v.impact, help: v.help,
			nodes: v.nodes.map((n) => ({
				target: n.target.join(" "),
				summary: (n.failureSummary || "").split("\n").slice(0, 2).join(" ").trim(),
			})),
		}));
	}, [preload, only]);
	return res;
}

// describe(violations): diagnostic lines for axe violations.
export function describe(violations) {
	const out = [];
	for (const v of violations) {
		out.push(`${v.id} (${v.impact}): ${v.help}`);
		for (const n of v.nodes.slice(0, 8))
			out.push(`    ${n.target}: ${n.summary}`);
		if (v.nodes.length > 8)
			out.push(`    ... ${v.nodes.length - 8} more`);
	}
	return out;
}

// layout(page): what is wrong with the page's layout at this viewport, a
// list of sentences (empty when all is well):
//  - the document is wider than the viewport (the page would zoom out or
//    scroll sideways), naming the elements that stick out;
//  - a table is wider than its column and not in a scroll container;
//  - a container scrolls sideways without a visible hint: a scrollbar
//    that takes room (headless Chromium hides them, as a phone does until
//    touched), an inset shadow at the edge (a scroll-driven one shows at
//    the start on the right), or scroll shadows in backgrounds that move
//    with the content (background-attachment: local);
//  - a control (link, button, field) is cut off by an ancestor that
//    hides overflow, or some content is clipped by one;
//  - a checkbox or radio button is not at the start of its label's line;
//  - with opts.actions (desktop): a table row's actions (the controls
//    of its last cell) are out of sight until the table is scrolled.
export async function layout(page, opts) {
	return page.evaluate((opts) => {
		const W = window.innerWidth;
		const problems = [];
		const name = (el) => {
			const parts = [];
			for (let e = el; e && e.nodeType === 1 && parts.length < 3; e = e.parentElement) {
				let s = e.localName;
				if (e.id)
					s += "#" + e.id;
				else if (e.classList.length)
					s += "." + [...e.classList].slice(0, 2).join(".");
				parts.unshift(s);
				if (e.id)
					break;
			}
			return parts.join(" > ");
		};
		const visible = (el) => {
			// The content of a closed <details> is laid out but not shown.
			const d = el.closest("details:not([open])");
			if (d && !el.closest("summary"))
				return false;
			const cs = getComputedStyle(el);
			if (cs.visibility === "hidden" || cs.display === "none")
				return false;
			const r = el.getBoundingClientRect();
			return r.width > 0 && r.height > 0;
		};
		const tiny = (el) => el.clientWidth <= 2 || el.clientHeight <= 2;
		const scrollsX = (cs) => cs.overflowX === "auto" || cs.overflowX === "scroll";
		const clipsX = (cs) => cs.overflowX === "hidden" || cs.overflowX === "clip";
		// The nearest ancestor that scrolls or clips sideways.
		const boxOf = (el) => {
			for (let e = el.parentElement; e && e !== document.documentElement && e !== document.body; e = e.parentElement) {
				const cs = getComputedStyle(e);
				if (scrollsX(cs) || clipsX(cs))
					return e;
			}
			return null;
		};
		const hint = (el) => {
			const cs = getComputedStyle(el);
			const bar = el.offsetHeight - el.clientHeight -
			    parseFloat(cs.borderTopWidth) - parseFloat(cs.borderBottomWidth);
			if (bar > 0)
				return true;
			// An inset shadow in a colour that shows, at the edge where
			// more content waits (at the start: the right one).
			const shadows = cs.boxShadow === "none" ? [] : cs.boxShadow.split(/,(?![^(]*\))/);
			if (shadows.some((sh) => /inset/.test(sh) && !/rgba\([^)]*,\s*0\)|transparent/.test(sh)))
				return true;
			return /gradient/.test(cs.backgroundImage) && /local/.test(cs.backgroundAttachment);
		};
		const all = [...document.body.querySelectorAll("*")].filter(visible);

		// 1. The document itself.
		const sw = document.scrollingElement.scrollWidth;
		if (sw > W) {
			const out = [];
			for (const el of all) {
				if (boxOf(el))
					continue;
				const r = el.getBoundingClientRect();
				if (r.right <= W + 0.5)
					continue;
				const p = el.parentElement.getBoundingClientRect();
				if (r.right > p.right + 0.5 || el.parentElement === document.body)
					out.push(`${name(el)} (${Math.round(r.width)} px wide, right edge at ${Math.round(r.right)})`);
			}
			problems.push(`the page is ${sw} px wide in a ${W} px viewport; sticking out: ` +
			    (out.slice(0, 6).join("; ") || "?"));
		}

		// 2. Sideways scroll containers: a hint when they overflow.
		const flagged = new Set();
		for (const el of all) {
			if (el === document.body || tiny(el))
				continue;
			const cs = getComputedStyle(el);
			if (scrollsX(cs) && el.scrollWidth > el.clientWidth + 1 && !hint(el)) {
				flagged.add(el);
				problems.push(`${name(el)} scrolls sideways (${el.scrollWidth} px in ${el.clientWidth} px) with no visible hint`);
			}
			if (clipsX(cs) && el.scrollWidth > el.clientWidth + 1 &&
			    cs.textOverflow !== "ellipsis") {
				flagged.add(el);
				problems.push(`${name(el)} clips its content (${el.scrollWidth} px in ${el.clientWidth} px)`);
			}
		}

		// 3. Tables: fit, or sit in a scroll container.
		for (const t of document.querySelectorAll("table")) {
			if (!visible(t))
				continue;
			const box = boxOf(t);
			const tw = t.getBoundingClientRect().width;
			if (box === null) {
				const col = t.parentElement.clientWidth;
				if (tw > col + 1)
					problems.push(`table ${name(t)} is ${Math.round(tw)} px in a ${col} px column and not in a scroll container`);
			} else if (clipsX(getComputedStyle(box)) && tw > box.clientWidth + 1 && !flagged.has(box)) {
				problems.push(`table ${name(t)} is clipped by ${name(box)}`);
			}
		}

		// 4. Controls cut off by an ancestor that hides overflow.
		for (const el of all) {
			if (!el.matches("a[href], button, input:not([type=hidden]), select, textarea, summary"))
				continue;
			const box = boxOf(el);
			if (box === null || tiny(box) || !clipsX(getComputedStyle(box)))
				continue;
			const r = el.getBoundingClientRect(), b = box.getBoundingClientRect();
			if (r.left < b.left - 0.5 || r.right > b.right + 0.5)
				problems.push(`${name(el)} is cut off by ${name(box)}`);
		}

		// 5. Checkboxes and radio buttons: at the start of their label's
		// first line, the text right after them.
		for (const inp of document.querySelectorAll("label input[type=checkbox], label input[type=radio]")) {
			if (!visible(inp))
				continue;
			const label = inp.closest("label");
			const r = inp.getBoundingClientRect(), l = label.getBoundingClientRect();
			let text = null;
			for (let n = inp.nextSibling; n; n = n.nextSibling) {
				if (n.textContent.trim() !== "") {
					text = n;
					break;
				}
			}
			const what = `${inp.type} in ${name(label)}`;
			if (r.width > 32)
				problems.push(`${what} is ${Math.round(r.width)} px wide`);
			if (r.left > l.left + 8)
				problems.push(`${what} starts ${Math.round(r.left - l.left)} px into its label`);
			if (text) {
				const range = document.createRange();
				range.selectNodeContents(text);
				const rects = range.getClientRects();
				const first = rects.length ? rects[0] : null;
				if (first && (first.left < r.right || first.top > r.bottom || first.bottom < r.top))
					problems.push(`${what}: its text does not follow it on the same line`);
			}
		}
		// 6. Row actions (the controls of a row's last cell) are in sight
		// without scrolling the table (opts.actions: at desktop width).
		if (opts && opts.actions) {
			for (const el of document.querySelectorAll("table tr > td:last-child :is(a[href], button)")) {
				if (!visible(el))
					continue;
				const box = boxOf(el);
				const r = el.getBoundingClientRect();
				const right = box ? Math.min(W, box.getBoundingClientRect().left + box.clientLeft + box.clientWidth) : W;
				if (r.right > right + 0.5)
					problems.push(`row action ${name(el)} "${el.textContent.trim()}" is out of sight (right edge at ${Math.round(r.right)}, the table shows up to ${Math.round(right)})`);
			}
		}
		return problems;
	}, opts || {});
}

// menu(page): the phone menu (item 17 of issue 11): { problems: [...] }.
// The folded <details> must take no more room than its summary; the
// summary must show that it opens (a marker or a chevron), and open.
export async function menu(page) {
	const before = await page.evaluate(() => {
		const d = document.querySelector(".sidebar__menu");
		if (!d)
			return null;
		const s = d.querySelector("summary"), nav = d.closest(".app__sidebar");
		const main = document.querySelector(".app__main");
		const cs = getComputedStyle(s);
		// A marker, text (a character) or a drawn shape (borders, a
		// background) before or after the words.
		const pseudo = ["::before", "::after"].filter((p) => {
			const c = getComputedStyle(s, p);
			if (!c.content || c.content === "none" || c.content === "normal")
				return false;
			if (c.content !== '""')
				return true;
			const drawn = parseFloat(c.borderRightWidth) + parseFloat(c.borderBottomWidth) +
			    parseFloat(c.borderTopWidth) + parseFloat(c.borderLeftWidth) > 0 ||
			    c.backgroundImage !== "none" || c.maskImage !== "none" ||
			    !/rgba\(0, 0, 0, 0\)|transparent/.test(c.backgroundColor);
			return drawn && parseFloat(c.width) > 0 && parseFloat(c.height) > 0 && c.display !== "none";
		});
		const nr = nav.getBoundingClientRect(), sr = s.getBoundingClientRect();
		const pad = parseFloat(getComputedStyle(nav).paddingBottom) +
		    parseFloat(getComputedStyle(nav).borderBottomWidth);
		return {
			open: d.open,
			band: Math.round(nr.bottom - sr.bottom - pad),
			gap: Math.round(main.getBoundingClientRect().top - nr.bottom),
			marker: cs.display === "list-item" || pseudo.length > 0,
			height: Math.round(sr.height),
		};
	});
	if (before === null)
		return ["no .sidebar__menu on the page"];
	const p = [];
	if (before.open)
		p.push("the menu is open on a phone after the page loaded");
	if (before.band > 4)
		p.push(`an empty band of ${before.band} px under the Menu control`);
	if (before.gap > 4)
		p.push(`a gap of ${before.gap} px between the menu and the page`);
	if (!before.marker)
		p.push("the Menu control shows no sign that it opens (no marker or chevron)");
	if (before.height < 24)
		p.push(`the Menu control is ${before.height} px high (under 24 px)`);
	await page.click(".sidebar__menu > summary");
	const after = await page.evaluate(() => {
		const d = document.querySelector(".sidebar__menu");
		const links = [...d.querySelectorAll(".sidebar__link")];
		return { open: d.open, shown: links.filter((a) => a.getBoundingClientRect().height > 0).length, n: links.length };
	});
	if (!after.open || after.shown !== after.n)
		p.push(`a tap on Menu shows ${after.shown} of ${after.n} links`);
	await page.click(".sidebar__menu > summary");
	return p;
}

// Tap: TAP output numbered from start + 1 (the shell part of a test has
// printed points before).  buffer() gives an object with the same ok,
// todo and diag that records instead of printing; flush(b) prints what
// it recorded, numbered in turn (checks run side by side, printed in a
// fixed order).
export class Tap {
	constructor(start) {
		this.n = start || 0;
		this.failed = 0;
	}
	buffer() {
		const rec = [];
		return {
			rec,
			ok: (pass, desc, lines) => { rec.push(["ok", pass, desc, lines]); return pass; },
			todo: (pass, desc, reason, lines) => { rec.push(["todo", pass, desc, reason, lines]); return pass; },
			diag: (lines) => rec.push(["diag", lines]),
		};
	}
	flush(b) {
		for (const [kind, ...a] of b.rec)
			this[kind](...a);
		b.rec.length = 0;
	}
	diag(lines) {
		for (const l of [].concat(lines))
			for (const s of String(l).split("\n"))
				process.stdout.write(`# ${s}\n`);
	}
	ok(pass, desc, lines) {
		this.n++;
		process.stdout.write(`${pass ? "ok" : "not ok"} ${this.n} - ${desc}\n`);
		if (!pass) {
			this.failed++;
			if (lines)
				this.diag(lines.map((l) => "  " + l));
		}
		return pass;
	}
	// todo(pass, desc, reason): a TODO point: a failure is expected (and
	// does not fail the suite); a pass is reported as an unexpected pass,
	// which ./dev test counts as a failure until the TODO entry goes.
	todo(pass, desc, reason, lines) {
		this.n++;
		process.stdout.write(`${pass ? "ok" : "not ok"} ${this.n} - ${desc} # TODO ${reason}\n`);
		if (lines)
			this.diag(lines.map((l) => "  " + l));
		return pass;
	}
}
