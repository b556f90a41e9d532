// The side-by-side translation page: the state of each term follows what the translator
// types, a translation memory offer is put in with one click, and leaving the page with
// unsaved text asks first. The server checks the terms again when the translation is
// submitted (translation_desk.terms): this is a guide, not the gate.
"use strict";

(function () {
  const form = document.getElementById("side-by-side-form");
  if (!form) return;
  const table = form.querySelector("table.side-by-side");
  const labels = {
    ok: table.dataset.stateOk,
    missing: table.dataset.stateMissing,
    forbidden: table.dataset.stateForbidden,
  };

  function plain(text) {
    const holder = document.createElement("div");
    holder.innerHTML = text;
    return (holder.textContent || "").normalize("NFC").replace(/\s+/g, " ").trim().toLowerCase();
  }

  function contains(text, phrase) {
    return phrase !== "" && text.includes(plain(phrase));
  }

  function updateTerms(row, field) {
    const text = plain(field.value);
    row.querySelectorAll("li.part-term").forEach(function (item) {
      const rendering = item.dataset.rendering || "";
      // A variant inside the approved rendering is no variant (as on the server).
      const outside = rendering ? text.split(plain(rendering)).join("\n") : text;
      const variants = (item.dataset.forbidden || "").split("|").filter(Boolean);
      const used = variants.find(function (variant) { return contains(outside, variant); });
      const state = used ? "forbidden" : (!rendering || contains(text, rendering) ? "ok" : "missing");
      item.dataset.state = state;
      item.querySelector(".term-state").textContent = used ? labels.forbidden + ": “" + used + "”" : labels[state];
    });
  }

  let dirty = false;
  form.querySelectorAll("tr.unit").forEach(function (row) {
    const field = row.querySelector("td.target textarea, td.target input");
    if (!field) return;
    field.addEventListener("input", function () {
      dirty = true;
      updateTerms(row, field);
    });
  });

  form.querySelectorAll("button.use-offer").forEach(function (button) {
    button.addEventListener("click", function () {
      const field = document.getElementById(button.dataset.target);
      field.value = button.dataset.text;
      field.dispatchEvent(new Event("input"));
      field.focus();
    });
  });

  form.addEventListener("submit", function () { dirty = false; });
  window.addEventListener("beforeunload", function (event) {
    if (dirty) event.preventDefault();
  });
})();
