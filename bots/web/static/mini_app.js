/* Agora's Telegram Mini App. The page at /app/… is a shell: this script loads each screen from
   /app/part/… with Telegram's signed initData in the Authorization header (the server checks
   it on every request), and shows the server's HTML. Links and forms stay inside the app;
   Telegram's back button walks back through the screens, its main button submits a screen's
   form, and the page takes Telegram's theme (telegram-web-app.js sets the --tg-theme-* colours
   the stylesheet reads). */
(function () {
  "use strict";
  var tg = window.Telegram && window.Telegram.WebApp;
  var main = document.getElementById("main");
  var mainForm = null;
  var depth = 0;
  var previewTimer = null;

  function signedIn() { return !!(tg && tg.initData); }

  function partOf(address) {  // "/app/listings?q=x" → "/app/part/listings?q=x"
    var url = new URL(address, location.href);
    var path = url.pathname.replace(/^\/app\/?/, "");
    return "/app/part" + (path ? "/" + path : "") + url.search;
  }

  function request(address, options) {
    options = options || {};
    options.headers = { Authorization: "tma " + tg.initData };
    return fetch(partOf(address), options);
  }

  function show(response, address, how) {
    return response.text().then(function (html) {
      var shown = response.headers.get("X-App-Location") || address;
      if (how === "push") { depth += 1; history.pushState({ depth: depth }, "", shown); }
      else if (how === "replace" || shown !== address) { history.replaceState({ depth: depth }, "", shown); }
      main.innerHTML = html;
      settle();
    });
  }

  function failed() {  // the words are the shell's, in the person's language
    var note = document.createElement("p");
    note.className = "error";
    note.setAttribute("role", "alert");
    note.textContent = main.getAttribute("data-failed");
    main.innerHTML = "";
    main.appendChild(note);
  }

  function go(address, how) {
    return request(address).then(function (r) { return show(r, address, how); }, failed);
  }

  function send(form, submitter) {
    var body = new FormData(form, submitter || undefined);
    var action = form.getAttribute("action");
    if ((form.getAttribute("method") || "get").toLowerCase() === "get") {
      var query = new URLSearchParams(body).toString();
      return go(action + (query ? "?" + query : ""), "push");
    }
    if (tg.MainButton) tg.MainButton.showProgress(false);
    return request(action, { method: "POST", body: body })
      .then(function (r) { return show(r, action, "push"); }, failed)
      .finally(function () { if (tg.MainButton) tg.MainButton.hideProgress(); });
  }

  /* After a screen is shown: its title, the current tab, the buttons, its map, its form. */
  function settle() {
    var screen = main.querySelector("[data-title]");
    document.title = screen ? screen.getAttribute("data-title") + " — Agora" : "Agora";
    var here = location.pathname;
    document.querySelectorAll(".tabs a").forEach(function (a) {
      var tab = a.getAttribute("href");
      if (here === tab || here.indexOf(tab + "/") === 0 || (here === "/app" && tab === "/app/listings")) {
        a.setAttribute("aria-current", "page");
      } else { a.removeAttribute("aria-current"); }
    });
    if (depth > 0) tg.BackButton.show(); else tg.BackButton.hide();
    mainForm = main.querySelector("form[data-main]");
    if (mainForm) {
      tg.MainButton.setText(mainForm.getAttribute("data-main"));
      tg.MainButton.show();
      document.documentElement.classList.add("has-main");
    } else {
      tg.MainButton.hide();
      document.documentElement.classList.remove("has-main");
    }
    if (window.agoraMap) window.agoraMap();
    var preview = main.querySelector("form[data-preview]");
    if (preview) watch(preview);
    window.scrollTo(0, 0);
  }

  /* The listing form's live preview: the server reads the form as the chat would and sends
     back the card and what is wrong so far (shown only for fields already touched). */
  function watch(form) {
    var touched = {};
    form.addEventListener("input", function (event) {
      if (event.target.name) touched[event.target.name] = true;
      if (event.target.type === "file") return thumbs(form, event.target);
      clearTimeout(previewTimer);
      previewTimer = setTimeout(function () { refresh(form, touched); }, 350);
    });
    form.addEventListener("change", function (event) {
      if (event.target.type === "file") thumbs(form, event.target);
    });
    refresh(form, touched);
  }

  function refresh(form, touched) {
    var body = new FormData(form);
    body.delete("photos");
    request(form.getAttribute("data-preview"), { method: "POST", body: body })
      .then(function (r) { return r.json(); })
      .then(function (answer) {
        var box = form.querySelector("#preview");
        if (answer.html) box.innerHTML = answer.html;
        form.querySelectorAll("[data-field]").forEach(function (field) {
          var name = field.getAttribute("data-field");
          var slot = field.querySelector(".field-error");
          var wrong = touched[name] && answer.errors[name];
          slot.textContent = wrong || "";
          var input = field.querySelector("input, select, textarea");
          if (input) { if (wrong) input.setAttribute("aria-invalid", "true"); else input.removeAttribute("aria-invalid"); }
        });
        var problem = form.querySelector("[data-problem]");
        if (!problem) {
          problem = document.createElement("p");
          problem.className = "error";
          problem.setAttribute("data-problem", "");
          form.querySelector("#preview").after(problem);
        }
        problem.textContent = answer.problem || "";
      })
      .catch(function () {});
  }

  function thumbs(form, input) {
    var box = form.querySelector("[data-thumbs]");
    box.innerHTML = "";
    Array.prototype.slice.call(input.files || [], 0, 4).forEach(function (file) {
      var img = document.createElement("img");
      img.src = URL.createObjectURL(file);
      img.alt = file.name;
      img.width = 96; img.height = 72;
      box.appendChild(img);
    });
  }

  function start() {
    if (!signedIn()) {  // opened outside Telegram: say where the app lives
      main.querySelector("[data-loading]").hidden = true;
      main.querySelector("[data-outside]").hidden = false;
      return;
    }
    tg.ready();
    tg.expand();
    document.documentElement.setAttribute("data-scheme", tg.colorScheme || "light");
    tg.onEvent("themeChanged", function () {
      document.documentElement.setAttribute("data-scheme", tg.colorScheme || "light");
    });
    tg.BackButton.onClick(function () { history.back(); });
    tg.MainButton.onClick(function () { if (mainForm) send(mainForm, null); });
    document.addEventListener("click", function (event) {
      var a = event.target.closest && event.target.closest("a[href]");
      if (!a || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey) return;
      var href = a.getAttribute("href");
      if (href.indexOf("https://t.me/") === 0) {  // into the chat: Telegram opens it in place
        event.preventDefault();
        tg.openTelegramLink(href);
      } else if (href === "/app" || href.indexOf("/app/") === 0) {
        event.preventDefault();
        go(href, "push");
      }
    });
    document.addEventListener("submit", function (event) {
      var form = event.target;
      var action = form.getAttribute("action") || "";
      if (action.indexOf("/app") !== 0) return;
      event.preventDefault();
      send(form, event.submitter);
    });
    window.addEventListener("popstate", function (event) {
      depth = (event.state && event.state.depth) || 0;
      go(location.pathname + location.search, "none");
    });
    history.replaceState({ depth: 0 }, "", location.pathname + location.search);
    go(location.pathname + location.search, "none");
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
