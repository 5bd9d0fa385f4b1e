// NightCoder-RS: small progressive enhancements. Every feature works without
// this file; it only avoids page reloads and asks before destructive actions.
(function () {
  "use strict";

  // <form data-confirm="..."> asks before submitting (delete buttons).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form instanceof HTMLFormElement && form.dataset.confirm) {
      if (!window.confirm(form.dataset.confirm)) {
        event.preventDefault();
      }
    }
  }, true);
})();
