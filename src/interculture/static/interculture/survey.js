// The survey's part pages save on a button. Until the server has saved them, what the person
// typed is kept in localStorage: after a reload, a lost connection or a page left by mistake it
// comes back into the form, with the versions it was based on (a stale save is then a conflict).
(function () {
  "use strict";
  var form = document.querySelector("form[data-keep]");
  if (!form) return;
  var key = "interculture:survey:" + form.dataset.keep;
  var forms = window.IntercultureForms;

  function keep() { localStorage.setItem(key, JSON.stringify(forms.snapshot(form))); }

  if ("saved" in form.dataset) {
    localStorage.removeItem(key); // the server has it
    // A reload from here on must not forget what is typed next: drop the "saved" mark.
    window.history.replaceState(null, "", window.location.pathname);
  } else if ("posted" in form.dataset) {
    keep(); // refused or in conflict: the page shows the person's values, with fresh versions
  } else {
    var kept = localStorage.getItem(key);
    if (kept) {
      try {
        forms.restore(form, JSON.parse(kept));
        var note = document.getElementById("restored");
        if (note) note.hidden = false;
      } catch (err) {
        localStorage.removeItem(key);
      }
    }
  }
  form.addEventListener("input", keep);
  form.addEventListener("change", keep);
  var discard = document.getElementById("discard-kept");
  if (discard) {
    discard.addEventListener("click", function () {
      localStorage.removeItem(key);
      window.location.reload();
    });
  }
})();
