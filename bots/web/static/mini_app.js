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
  var latest = 0;  // the newest screen asked for: a slower answer to an older one is dropped

  /* Only the answer to the screen asked for last is shown: a tab tapped while the first
     screen still loads must not be overwritten by that screen arriving after it. */
  function newest() {
    var mine = ++latest;
    return function () { return mine === latest; };
  }

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
      var spoken = response.headers.get("Content-Language");
      if (spoken && spoken !== document.documentElement.lang) relabel(spoken);
    });
  }

  /* The shell came in the phone's language, the screens in the account's: when they differ,
     the tabs (and the words for a lost connection) are fetched again in the account's. */
  function relabel(language) {
    document.documentElement.lang = language;
    request("/app/frame")
      .then(function (r) { return r.ok ? r.text() : ""; })
      .then(function (html) {
        var box = document.createElement("div");
        box.innerHTML = html;
        var tabs = box.querySelector(".tabs"), old = document.querySelector(".tabs");
        if (!tabs || !old) return;
        old.replaceWith(tabs);
        main.setAttribute("data-failed", tabs.getAttribute("data-failed"));
        markTab();
      })
      .catch(function () {});
  }

  function markTab() {
    var here = location.pathname;
    document.querySelectorAll(".tabs a").forEach(function (a) {
      var tab = a.getAttribute("href");
      if (here === tab || here.indexOf(tab + "/") === 0 || (here === "/app" && tab === "/app/listings")) {
        a.setAttribute("aria-current", "page");
      } else { a.removeAttribute("aria-current"); }
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
    var current = newest();
    return request(address).then(function (r) { if (current()) return show(r, address, how); },
                                 function () { if (current()) failed(); });
  }

  function send(form, submitter) {
    var body = new FormData(form, submitter || undefined);
    var action = form.getAttribute("action");
    if ((form.getAttribute("method") || "get").toLowerCase() === "get") {
      var query = new URLSearchParams(body).toString();
      return go(action + (query ? "?" + query : ""), "push");
    }
    if (tg.MainButton) tg.MainButton.showProgress(false);
    var current = newest();
    return request(action, { method: "POST", body: body })
      .then(function (r) { if (current()) return show(r, action, "push"); },
            function () { if (current()) failed(); })
      .finally(function () { if (tg.MainButton) tg.MainButton.hideProgress(); });
  }

  /* After a screen is shown: its title, the current tab, the buttons, its map, its form. */
  function settle() {
    var screen = main.querySelector("[data-title]");
    document.title = screen ? screen.getAttribute("data-title") + " — Agora" : "Agora";
    markTab();
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

  /* Readable in any theme. The colours are the person's Telegram theme, and some fall below
     WCAG's 4.5:1 for text: in Telegram's own dark theme, white on its #5288c1 button is 3.7:1
     and our light-site red on its background 2.5:1. Each colour the stylesheet fills a button
     with or writes words in is moved toward black or white, only as far as it takes to read on
     what it sits on; the theme's hue stays. Done again whenever Telegram changes the theme. */
  var READABLE = 4.5;
  var WORDS = [  // each colour words are written in, and what they are written on
    ["--ink", ["--bg", "--surface", "--accent-soft", "--warn-soft"]],
    ["--muted", ["--bg", "--surface"]],
    ["--link", ["--bg", "--surface"]],
    ["--accent-text", ["--bg", "--surface", "--accent-soft"]],
    ["--bad", ["--bg", "--surface"]],
    ["--star", ["--bg", "--surface"]],
    ["--focus", ["--bg", "--surface"]]
  ];
  var SET = ["--accent", "--accent-soft"].concat(WORDS.map(function (w) { return w[0]; }));

  function rgb(value) {  // "#17212b", "#fff" or "rgb(23, 33, 43)" → [23, 33, 43]
    value = (value || "").trim();
    var hex = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(value);
    if (hex) {
      var h = hex[1].length === 3 ? hex[1].replace(/./g, "$&$&") : hex[1];
      return [0, 2, 4].map(function (i) { return parseInt(h.substr(i, 2), 16); });
    }
    var fn = /^rgba?\(\s*(\d+)[ ,]+(\d+)[ ,]+(\d+)/i.exec(value);
    return fn ? [+fn[1], +fn[2], +fn[3]] : null;
  }
  function luminance(c) {
    var l = c.map(function (v) { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
    return 0.2126 * l[0] + 0.7152 * l[1] + 0.0722 * l[2];
  }
  function contrast(a, b) {
    var x = luminance(a), y = luminance(b);
    return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05);
  }
  function mix(a, b, share) { return a.map(function (v, i) { return Math.round(v + (b[i] - v) * share); }); }
  function css(c) { return "rgb(" + c.join(", ") + ")"; }
  function readable(colour, grounds) {  // the nearest colour to `colour` that reads on all of them
    var light = grounds.reduce(function (n, g) { return n + luminance(g); }, 0) / grounds.length > 0.18;
    var toward = light ? [0, 0, 0] : [255, 255, 255];
    for (var step = 0; step <= 20; step += 1) {
      var tried = mix(colour, toward, step / 20);
      if (grounds.every(function (g) { return contrast(tried, g) >= READABLE; })) return tried;
    }
    return toward;
  }

  function theme() {
    var root = document.documentElement;
    root.setAttribute("data-scheme", tg.colorScheme || "light");
    SET.forEach(function (name) { root.style.removeProperty(name); });
    var style = getComputedStyle(root);
    var colour = function (name) { return rgb(style.getPropertyValue(name)); };
    var bg = colour("--bg"), accent = colour("--accent"), accentInk = colour("--accent-ink");
    if (!bg || !accent || !accentInk) return;  // a colour we cannot read: leave the theme be
    var fixed = { "--accent": readable(accent, [accentInk]) };
    fixed["--accent-soft"] = mix(bg, fixed["--accent"], 0.14);  // as the stylesheet mixes it
    var ground = function (name) { return fixed[name] || colour(name); };
    WORDS.forEach(function (w) {
      var words = colour(w[0]), grounds = w[1].map(ground).filter(Boolean);
      if (words && grounds.length) fixed[w[0]] = readable(words, grounds);
    });
    Object.keys(fixed).forEach(function (name) { root.style.setProperty(name, css(fixed[name])); });
  }

  function start() {
    if (!signedIn()) {  // opened outside Telegram: say where the app lives
      main.querySelector("[data-loading]").hidden = true;
      main.querySelector("[data-outside]").hidden = false;
      return;
    }
    tg.ready();
    tg.expand();
    theme();
    tg.onEvent("themeChanged", theme);
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
      } else if (/(^|\s)external(\s|$)/.test(a.getAttribute("rel") || "")) {
        event.preventDefault();  // a meeting room or a document: the browser opens it, the app stays
        tg.openLink(href);
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
