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

  // Vote widgets: post the same form, ask for JSON, update in place.
  function render(widget, data) {
    widget.querySelector("[data-score]").textContent = data.score;
    widget.querySelector("[data-up]").textContent = data.up;
    widget.querySelector("[data-down]").textContent = data.down;
    widget.querySelectorAll("button[data-direction]").forEach(function (button) {
      var on = button.dataset.direction === data.user_vote;
      button.classList.toggle("active", on);
      button.setAttribute("aria-pressed", on ? "true" : "false");
    });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || event.defaultPrevented) {
      return;
    }
    var widget = form.closest("[data-vote]");
    if (!widget || !window.fetch) {
      return;
    }
    event.preventDefault();
    var error = widget.querySelector("[data-vote-error]");
    fetch(form.action, {
      method: "POST",
      body: new URLSearchParams(new FormData(form)),
      headers: { "Accept": "application/json" },
      credentials: "same-origin"
    }).then(function (response) {
      if (response.status === 401) {
        window.location.href = "/login?next=" + encodeURIComponent(window.location.pathname);
        return null;
      }
      return response.json().then(function (data) {
        if (response.ok) {
          error.textContent = "";
          render(widget, data);
        } else {
          error.textContent = data.error || "";
        }
      });
    }).catch(function () {
      form.submit();
    });
  });
})();
