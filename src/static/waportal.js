/* waportal.js: small progressive enhancements; every page works without it (strict CSP: no inline code). */
"use strict";

(function () {
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
	});
})();
