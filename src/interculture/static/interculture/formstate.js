// A form's fields as plain data, and back: what workspace.js and survey.js keep in localStorage
// so that what a person typed survives a reload or a lost connection.
(function () {
  "use strict";

  function snapshot(form) {
    var data = {};
    new FormData(form).forEach(function (value, name) {
      if (name === "csrfmiddlewaretoken" || name === "choice") return;
      (data[name] = data[name] || []).push(value);
    });
    // Unticked boxes send nothing; remember their names so that a restore clears them.
    form.querySelectorAll("input[type=checkbox], input[type=radio]").forEach(function (box) {
      data[box.name] = data[box.name] || [];
    });
    return data;
  }

  // Fields take the kept values; so do the version fields, so that a stale resend is refused
  // as a conflict by the server instead of overwriting someone else's change.
  function restore(form, data) {
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || !(el.name in data)) return;
      if (el.type === "hidden") {
        if (el.name.indexOf("version-") === 0) el.value = data[el.name][0];
      } else if (el.type === "checkbox" || el.type === "radio") {
        el.checked = data[el.name].indexOf(el.value) !== -1;
      } else {
        el.value = data[el.name][0] || "";
      }
    });
  }

  window.IntercultureForms = { snapshot: snapshot, restore: restore };
})();
