// Autosave that loses nothing: each question form posts itself (htmx) on every change. Until the
// server has answered, the form's fields are kept in localStorage; after a reload or when the
// connection comes back, unsent changes are restored and sent again. The server's version check
// turns a stale resend into a visible conflict, never a silent overwrite.
(function () {
  "use strict";
  var PREFIX = "interculture:unsaved:";
  var pending = new Set();

  function formOf(elt) { return elt && elt.closest ? elt.closest("form[data-autosave]") : null; }
  function key(form) { return PREFIX + form.dataset.autosave; }

  var snapshot = window.IntercultureForms.snapshot;
  var restore = window.IntercultureForms.restore;

  function status(form, text, isError) {
    var line = form.querySelector(".save-status");
    if (!line) return;
    line.textContent = text;
    line.classList.toggle("error", !!isError);
  }

  function retryAll() {
    pending.forEach(function (form) {
      if (document.body.contains(form)) htmx.trigger(form, "retry");
    });
    pending.clear();
  }

  function keep(form) { localStorage.setItem(key(form), JSON.stringify(snapshot(form))); }

  // Kept at every keystroke, not only when a request starts: autosave waits for a pause in
  // typing, and a reload inside that pause must not lose what was typed.
  ["input", "change"].forEach(function (type) {
    document.addEventListener(type, function (e) {
      var form = formOf(e.target);
      if (form) keep(form);
    });
  });

  // After a conflict the person chooses. "Keep their answer" drops the stale change kept here at
  // once, so that no reload sends it again; "Keep my answer" sends it on purpose. Either way the
  // server redraws the whole question (marked data-resolved), and what was kept is cleared then:
  // the request's own events fire on the replaced form, outside the document, and never reach us.
  document.addEventListener("click", function (e) {
    var button = e.target.closest ? e.target.closest("button[name=choice]") : null;
    var form = formOf(button);
    if (!form) return;
    form.dataset.choice = button.value;
    if (button.value === "theirs") localStorage.removeItem(key(form));
  });

  // While a conflict is open, only the person's choice is sent. Leaving the comment box, or
  // typing on, would re-send the stale edit and redraw the same conflict under the pointer; what
  // is typed stays kept here and goes with "Keep my answer".
  document.addEventListener("htmx:confirm", function (e) {
    var form = formOf(e.detail.elt);
    if (form && !form.dataset.choice && form.querySelector(".conflict-choice")) e.preventDefault();
  });

  document.addEventListener("htmx:load", function (e) {
    var elt = e.detail.elt;
    var form = elt.matches && elt.matches("form[data-resolved]") ? elt : null;
    if (form && form.dataset.autosave) localStorage.removeItem(key(form));
  });

  document.addEventListener("htmx:beforeRequest", function (e) {
    var form = formOf(e.detail.elt);
    if (!form) return;
    if (!form.dataset.choice) keep(form);
    form.dataset.sent = localStorage.getItem(key(form));
    status(form, form.dataset.saving, false);
  });

  document.addEventListener("htmx:afterRequest", function (e) {
    var form = formOf(e.detail.elt);
    if (!form) return;
    delete form.dataset.choice;  // the choice was not applied (offline, or a new conflict)
    var code = e.detail.xhr ? e.detail.xhr.status : 0;
    if (code === 409) {
      // A conflict is shown: the person's own value stays kept here until they choose.
      return;
    }
    if ((code >= 200 && code < 300) || code === 400) {
      // Saved, or refused with a reason shown beside the question.
      var stored = localStorage.getItem(key(form));
      if (stored === form.dataset.sent) {
        localStorage.removeItem(key(form));
      } else if (stored) {
        // Typed on during the request: keep that, based on the version just saved.
        var data = JSON.parse(stored);
        var version = form.querySelector("input[name^='version-']");
        if (version) data[version.name] = [version.value];
        localStorage.setItem(key(form), JSON.stringify(data));
      }
    } else if (code === 401 || code === 403) {
      // Signed out (or the role changed): keep the change here until the person signs in again.
      status(form, form.dataset.refused, true);
    } else {
      status(form, form.dataset.unsaved, true);
      pending.add(form);
    }
  });

  window.addEventListener("online", retryAll);
  setInterval(function () { if (pending.size && navigator.onLine !== false) retryAll(); }, 5000);

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-autosave]").forEach(function (form) {
      var saved = localStorage.getItem(key(form));
      if (!saved) return;
      try { restore(form, JSON.parse(saved)); } catch (err) { localStorage.removeItem(key(form)); return; }
      htmx.trigger(form, "retry");
    });
  });
})();
