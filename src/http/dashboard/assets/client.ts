// The dashboard's page script (served as /assets/dashboard.js; no inline scripts, so the pages'
// Content-Security-Policy allows only 'self'). It shows times relative to now and the state of the
// live connection; opens links marked data-dialog (the board's pickers) in the dialog and closes it,
// giving focus back to the control that opened it (found again by id after the board was redrawn);
// and reports failed requests in the page's message area.
export const DASHBOARD_JS = `(function () {
  "use strict";
  var rtf = typeof Intl !== "undefined" && Intl.RelativeTimeFormat ? new Intl.RelativeTimeFormat(undefined, { numeric: "auto" }) : null;
  var STEPS = [[60, "second"], [60, "minute"], [24, "hour"], [30, "day"], [12, "month"], [Infinity, "year"]];
  function relative(ms) {
    var v = (ms - Date.now()) / 1000;
    if (Math.abs(v) < 30) return "just now";
    for (var i = 0; i < STEPS.length; i++) {
      if (Math.abs(v) < STEPS[i][0]) return rtf ? rtf.format(Math.round(v), STEPS[i][1]) : new Date(ms).toLocaleString();
      v /= STEPS[i][0];
    }
    return new Date(ms).toLocaleString();
  }
  function refreshTimes(root) {
    var list = (root || document).querySelectorAll("time[data-rel]");
    for (var i = 0; i < list.length; i++) {
      var ms = Date.parse(list[i].getAttribute("datetime"));
      if (isNaN(ms)) continue;
      if (!list[i].title) list[i].title = new Date(ms).toLocaleString();
      list[i].textContent = relative(ms);
    }
  }
  function flash(text, isError) {
    var box = document.getElementById("flash");
    if (!box) return;
    var p = document.createElement("p");
    p.className = isError ? "flash-msg error" : "flash-msg";
    if (isError) p.setAttribute("role", "alert");
    p.textContent = text;
    box.replaceChildren(p);
  }
  function setLive(state, text) {
    var el = document.getElementById("live-status");
    if (!el) return;
    el.setAttribute("data-state", state);
    el.textContent = text;
  }

  var opener = null;
  var restoreId = null;
  var restoreUntil = 0;
  function dialog() { return document.getElementById("dialog"); }
  function closeDialog() { var d = dialog(); if (d && d.open) d.close(); }

  document.addEventListener("DOMContentLoaded", function () {
    refreshTimes(document);
    setInterval(function () { refreshTimes(document); }, 30000);
    var body = document.body;
    if (window.htmx) window.htmx.onLoad(function (elt) { refreshTimes(elt); });
    body.addEventListener("htmx:sseOpen", function () { setLive("live", "live"); });
    body.addEventListener("htmx:sseError", function () {
      setLive("down", "reconnecting");
      // The stream ends when the sign-in does (a revoked token, a sign-out elsewhere): if the page
      // itself now sends us to /sign-in, go there rather than retrying for ever.
      fetch(location.href, { method: "HEAD", redirect: "manual", credentials: "same-origin" }).then(function (r) {
        if (r.type === "opaqueredirect" || r.status === 401) {
          location.href = "/sign-in?next=" + encodeURIComponent(location.pathname + location.search);
        }
      }, function () {});
    });
    body.addEventListener("htmx:beforeRequest", function (e) {
      var d = dialog();
      var target = e.detail && e.detail.target;
      if (d && !d.open && target && target.id === "dialog-body") {
        opener = e.detail.elt && e.detail.elt.id ? e.detail.elt.id : null;
      }
    });
    // After settle, not after swap: htmx wires up the new content (hx-post on the dialog's form)
    // when it settles, and a control focused before that would submit the form natively.
    body.addEventListener("htmx:afterSettle", function (e) {
      var target = (e.detail && e.detail.target) || e.target;
      var d = dialog();
      if (!d || !target || target.id !== "dialog-body" || !target.firstElementChild) return;
      var title = target.querySelector("h2[id]");
      if (title) d.setAttribute("aria-labelledby", title.id); else d.removeAttribute("aria-labelledby");
      if (!d.open) d.showModal();
      var first = target.querySelector("[autofocus]") || target.querySelector("select, input:not([type=hidden]), textarea, button");
      if (first) first.focus();
    });
    body.addEventListener("claire:dialog-close", closeDialog);
    body.addEventListener("click", function (e) {
      var t = e.target;
      if (!t || !t.closest) return;
      if (t.closest("[data-dialog-close]")) { e.preventDefault(); closeDialog(); return; }
      // Links marked data-dialog (the board's Move and Assign) open in the dialog; a modified click
      // (new tab) and a page without htmx follow the link to the page of its own.
      var link = t.closest("a[data-dialog]");
      if (link && window.htmx && e.button === 0 && !e.ctrlKey && !e.metaKey && !e.shiftKey && !e.altKey) {
        e.preventDefault();
        window.htmx.ajax("GET", link.getAttribute("href"), { source: link, target: "#dialog-body", swap: "innerHTML" });
      }
    });
    var d = dialog();
    if (d) d.addEventListener("close", function () {
      var bodyEl = document.getElementById("dialog-body");
      if (bodyEl) bodyEl.replaceChildren();
      var back = opener ? document.getElementById(opener) : null;
      // A redraw arriving just after (the live stream) may replace that control again: for a
      // moment, put focus back on it if it got lost.
      restoreId = opener;
      restoreUntil = Date.now() + 2000;
      opener = null;
      if (back) back.focus();
    });
    body.addEventListener("htmx:oobAfterSwap", function () {
      if (!restoreId || Date.now() > restoreUntil) return;
      var active = document.activeElement;
      if (active && active !== document.body) return;
      var el = document.getElementById(restoreId);
      // Where the user scrolled meanwhile stays: focus comes back without moving the page.
      if (el) el.focus({ preventScroll: true });
    });
    // A form's errors say why its last try was refused. Once another form's action succeeds they
    // may no longer hold (the owner it named is gone, the state moved on), so they go. Before the
    // swap: the answer replaces the posting form, and events on a removed form reach no listener.
    // A 409 or 422 is swapped too (it carries the form with its errors): only a 2xx counts.
    body.addEventListener("htmx:beforeSwap", function (e) {
      var det = e.detail;
      var status = det && det.xhr ? det.xhr.status : 0;
      var elt = det && det.requestConfig ? det.requestConfig.elt : null;
      var src = status >= 200 && status < 300 && elt && elt.closest ? elt.closest("form") : null;
      if (!src) return;
      document.querySelectorAll("form").forEach(function (f) {
        if (f === src) return;
        f.querySelectorAll(".form-error, .field-error").forEach(function (p) { p.remove(); });
        f.querySelectorAll(".field.invalid").forEach(function (x) { x.classList.remove("invalid"); });
        f.querySelectorAll("[aria-invalid]").forEach(function (x) {
          x.removeAttribute("aria-invalid");
          var by = (x.getAttribute("aria-describedby") || "").split(" ").filter(function (id) { return id && !/-err$/.test(id); });
          if (by.length > 0) x.setAttribute("aria-describedby", by.join(" ")); else x.removeAttribute("aria-describedby");
        });
      });
    });
    body.addEventListener("htmx:responseError", function (e) {
      var xhr = e.detail && e.detail.xhr;
      if (xhr && xhr.status === 401) {
        location.href = "/sign-in?next=" + encodeURIComponent(location.pathname + location.search);
        return;
      }
      flash("That did not work (" + (xhr ? xhr.status : "error") + "). Reload the page and try again.", true);
    });
    body.addEventListener("htmx:sendError", function () {
      flash("Cannot reach Claire: is it still running?", true);
    });
  });
})();
`;
