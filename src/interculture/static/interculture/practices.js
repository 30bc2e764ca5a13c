// The search page's filters: open beside the results on a wide screen, folded on a phone.
(function () {
  "use strict";
  var filters = document.getElementById("filters");
  if (filters && window.matchMedia("(min-width: 50rem)").matches) {
    filters.open = true;
  }
})();
