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
        await navigator.clipboard.writeText(source.textContent);
        button.textContent = "Copied";
      } catch (err) {
        window.getSelection().selectAllChildren(source);
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

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-preview]").forEach(wirePreview);
    document.querySelectorAll("[data-copy]").forEach(wireCopy);
    document.querySelectorAll("[data-back]").forEach(wireBack);
  });
})();
