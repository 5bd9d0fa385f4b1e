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

  // Comment votes and the follow button: the same forms, answered in JSON.
  function postJson(form) {
    return fetch(form.action, {
      method: "POST",
      body: new URLSearchParams(new FormData(form)),
      headers: { "Accept": "application/json" },
      credentials: "same-origin"
    }).then(function (response) {
      return response.json().then(function (data) {
        return { ok: response.ok, data: data };
      });
    });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || event.defaultPrevented || !window.fetch) {
      return;
    }
    var commentVote = form.closest("[data-comment-vote]");
    var follow = form.matches("[data-follow]") ? form : null;
    if (!commentVote && !follow) {
      return;
    }
    event.preventDefault();
    postJson(form).then(function (result) {
      if (!result.ok) {
        form.submit();
        return;
      }
      if (commentVote) {
        var button = form.querySelector("button");
        commentVote.querySelector("[data-score]").textContent = result.data.score;
        button.classList.toggle("active", result.data.user_vote === "up");
        button.setAttribute("aria-pressed", result.data.user_vote === "up" ? "true" : "false");
      } else {
        var toggle = form.querySelector("button");
        var on = result.data.following;
        toggle.textContent = on ? toggle.dataset.on : toggle.dataset.off;
        toggle.classList.toggle("btn-warning", on);
        toggle.classList.toggle("btn-outline-light", !on);
        toggle.setAttribute("aria-pressed", on ? "true" : "false");
      }
    }).catch(function () {
      form.submit();
    });
  });

  // The ask form lists similar questions as the title is typed.
  var similar = document.querySelector("[data-similar]");
  var titleInput = similar && similar.closest("form").querySelector("input[name=title]");
  if (similar && titleInput && window.fetch) {
    var button = document.querySelector("[data-similar-button]");
    if (button) {
      button.hidden = true;
    }
    var timer = null;
    var show = function (items) {
      similar.textContent = "";
      if (!items.length) {
        return;
      }
      var heading = document.createElement("h2");
      heading.className = "h6";
      heading.textContent = similar.dataset.heading;
      var list = document.createElement("ul");
      list.className = "list-unstyled small mb-0";
      items.forEach(function (item) {
        var li = document.createElement("li");
        li.className = "py-1";
        var a = document.createElement("a");
        a.href = item.url;
        a.target = "_blank";
        a.rel = "noopener";
        a.textContent = item.title;
        li.appendChild(a);
        list.appendChild(li);
      });
      similar.appendChild(heading);
      similar.appendChild(list);
    };
    titleInput.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        var title = titleInput.value.trim();
        if (title.length < 8) {
          show([]);
          return;
        }
        fetch("/questions/similar?title=" + encodeURIComponent(title), {
          headers: { "Accept": "application/json" },
          credentials: "same-origin"
        }).then(function (response) {
          return response.ok ? response.json() : { questions: [] };
        }).then(function (data) {
          show(data.questions || []);
        }).catch(function () {});
      }, 400);
    });
  }

  // Live preview beside the editors: the body as it would be saved,
  // rendered by the server (POST /preview), a moment after typing stops.
  document.querySelectorAll("[data-preview-pane]").forEach(function (pane) {
    var form = pane.closest("form");
    var input = form && form.querySelector("textarea[name=body]");
    var token = form && form.querySelector("input[name=csrf_token]");
    var target = pane.querySelector("[data-preview-body]");
    if (!input || !token || !token.value || !window.fetch) {
      return;
    }
    var timer = null;
    var sent = null;
    var latest = 0;
    var render = function () {
      var body = input.value;
      if (body === sent) {
        return;
      }
      sent = body;
      if (!body.trim()) {
        pane.hidden = true;
        return;
      }
      var ticket = ++latest;
      fetch("/preview", {
        method: "POST",
        body: new URLSearchParams({ csrf_token: token.value, body: body }),
        headers: { "Accept": "text/html" },
        credentials: "same-origin"
      }).then(function (response) {
        // 422 carries the reason as a fragment; anything else (a limit, an
        // outage) leaves the last preview in place
        return response.ok || response.status === 422 ? response.text() : null;
      }).then(function (html) {
        if (ticket !== latest) {
          return;  // a newer preview is on its way
        }
        if (html === null) {
          sent = null;
          return;
        }
        // sanitized by the server exactly as a saved post is
        target.innerHTML = html;
        pane.hidden = false;
      }).catch(function () {});
    };
    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(render, 500);
    });
  });
})();
