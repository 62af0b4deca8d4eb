// Hindsight's few lines of JavaScript: live previews on the log form, copy buttons and the
// error page's "Go back" (here, not inline: the pages' CSP runs no inline script).
// Every page works without it; the server checks and explains everything again on submit.
(function () {
  "use strict";

  function debounce(fn, ms) {
    let timer = null;
    return function () {
      clearTimeout(timer);
      timer = setTimeout(fn, ms);
    };
  }

  // <input data-preview="/preview/deadline" data-preview-out="id" data-preview-with="made_at">
  function wirePreview(input) {
    const out = document.getElementById(input.dataset.previewOut);
    const extra = (input.dataset.previewWith || "").split(" ").filter(Boolean);
    if (!out) return;
    const update = debounce(async function () {
      const params = new URLSearchParams({ value: input.value });
      extra.forEach(function (name) {
        const other = input.form && input.form.elements[name];
        if (other && other.value) params.set(name, other.value);
      });
      if (!input.value.trim()) { out.textContent = ""; return; }
      try {
        const response = await fetch(input.dataset.preview + "?" + params, {
          headers: { Accept: "application/json" },
        });
        const body = await response.json();
        out.textContent = body.text;
        out.classList.toggle("error", !body.ok);
      } catch (err) {
        out.textContent = "";
      }
    }, 200);
    input.addEventListener("input", update);
    extra.forEach(function (name) {
      const other = input.form && input.form.elements[name];
      if (other) other.addEventListener("input", update);
    });
    if (input.value) update();
  }

  function wireCopy(button) {
    button.hidden = false;
    button.addEventListener("click", async function () {
      const source = document.getElementById(button.dataset.copy);
      try {
        // A read-only field (an invitation's link) holds its text as a value.
        await navigator.clipboard.writeText(source.value !== undefined ? source.value : source.textContent);
        button.textContent = "Copied";
      } catch (err) {
        if (source.select) source.select();
        else window.getSelection().selectAllChildren(source);
        button.textContent = "Press Ctrl+C to copy";
      }
    });
  }

  // <span data-back hidden><a href="/">Go back</a> · </span>: shown when there is a page to go to.
  function wireBack(span) {
    if (window.history.length < 2) return;
    span.hidden = false;
    span.querySelector("a").addEventListener("click", function (event) {
      event.preventDefault();
      window.history.back();
    });
  }

  // <ol data-candidates> (the extraction page): with the focus on a candidate, j and k move to
  // the next and previous, a accepts it as shown (or asks whose it is first), r asks why not.
  function wireCandidates(list) {
    const items = Array.from(list.querySelectorAll("li[data-n]"));
    const current = function () {
      return items.find(function (li) { return li.contains(document.activeElement); });
    };
    const focusOn = function (li) {
      if (!li) return;
      li.querySelector("summary").focus();
      li.scrollIntoView({ block: "nearest" });
    };
    const move = function (step) {
      const at = items.indexOf(current());
      focusOn(items[Math.min(items.length - 1, Math.max(0, at + step))]);
    };
    const accept = function (li) {
      const form = li.querySelector("form.accept");
      if (!form) return;
      li.querySelector("details").open = true;
      const whose = form.querySelector("input[name=whose]");
      if (whose && !form.querySelector("input[name=whose]:checked")) { whose.focus(); return; }
      form.requestSubmit();
    };
    const reject = function (li) {
      const form = li.querySelector("form.reject");
      if (!form) return;
      li.querySelector("details").open = true;
      form.closest("details").open = true;
      form.querySelector("input[name=reason]").focus();
    };
    document.addEventListener("keydown", function (event) {
      if (event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) return;
      const target = event.target;
      if (target.closest && target.closest("input, textarea, select, [contenteditable]")) return;
      // Only on a candidate (WCAG 2.1.4): elsewhere, letters stay the screen reader's own.
      const li = current();
      if (!li) return;
      if (event.key === "j") move(1);
      else if (event.key === "k") move(-1);
      else if (event.key === "a") accept(li);
      else if (event.key === "r") reject(li);
      else return;
      event.preventDefault();
    });
    // Back from a decision (#candidate-n): on to the next candidate still undecided.
    const shown = /^#candidate-(\d+)$/.exec(window.location.hash);
    const invalid = list.querySelector("details[open] [aria-invalid=true]");
    if (invalid) { invalid.focus(); return; }
    if (!shown) return;
    const at = items.findIndex(function (li) { return li.dataset.n === shown[1]; });
    const next = items.slice(at).find(function (li) { return li.querySelector("form.accept"); });
    // After the browser has scrolled to the fragment, which would otherwise drop the focus.
    window.addEventListener("load", function () {
      setTimeout(function () { focusOn(next || items[at]); }, 0);
    });
  }

  // A filter left empty stays out of the address, so the link one shares is the filter.
  function wireCleanQuery(form) {
    form.addEventListener("submit", function () {
      form.querySelectorAll("input[name], select[name]").forEach(function (el) {
        if (el.value === "" || (el.type === "checkbox" && !el.checked)) el.disabled = true;
      });
    });
    window.addEventListener("pageshow", function () {
      form.querySelectorAll("[disabled]").forEach(function (el) { el.disabled = false; });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-preview]").forEach(wirePreview);
    document.querySelectorAll("[data-copy]").forEach(wireCopy);
    document.querySelectorAll("[data-back]").forEach(wireBack);
    document.querySelectorAll("[data-candidates]").forEach(wireCandidates);
    document.querySelectorAll("form[data-clean-query]").forEach(wireCleanQuery);
  });
})();
