"""The Telegram side of the Mini App in tests: initData signed as Telegram signs it (computed
here from Telegram's documentation, not with the code under test), and a stand-in for
`window.Telegram.WebApp` — the object telegram-web-app.js makes — that records what the app
asks of Telegram (its main and back buttons, links into the chat) and sets the theme colours
as Telegram's script does."""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import datetime
from urllib.parse import urlencode

TELEGRAM_SCRIPT = "https://telegram.org/js/telegram-web-app.js"


def signed_init_data(token: str, user_id: int, at: datetime, first_name: str = "Ann",
                     language: str = "en") -> str:
    fields = {"query_id": "AAHdF6IQAAAAAN0XohDhrOrc", "auth_date": str(int(at.timestamp())),
              "user": json.dumps({"id": user_id, "first_name": first_name,
                                  "language_code": language}, separators=(",", ":"))}
    check = "\n".join(f"{k}={v}" for k, v in sorted(fields.items()))
    secret = hmac.new(b"WebAppData", token.encode(), hashlib.sha256).digest()
    fields["hash"] = hmac.new(secret, check.encode(), hashlib.sha256).hexdigest()
    return urlencode(fields)


DARK = {"bg_color": "#17212b", "text_color": "#f5f5f5", "hint_color": "#9aa6b2",
        "link_color": "#6ab3f3", "button_color": "#5288c1", "button_text_color": "#ffffff",
        "secondary_bg_color": "#232e3c"}
LIGHT = {"bg_color": "#ffffff", "text_color": "#000000", "hint_color": "#707579",
         "link_color": "#2481cc", "button_color": "#2481cc", "button_text_color": "#ffffff",
         "secondary_bg_color": "#f4f4f5"}


def stand_in(init_data: str, theme: dict[str, str] = LIGHT, scheme: str = "light") -> str:
    """The script served in place of telegram-web-app.js."""
    return """
(function () {
  var theme = __THEME__, root = document.documentElement, handlers = {};
  function paint(colours) {
    Object.keys(colours).forEach(function (k) {
      root.style.setProperty("--tg-theme-" + k.replace(/_/g, "-"), colours[k]);
    });
  }
  paint(theme);
  root.style.setProperty("--tg-viewport-stable-height", window.innerHeight + "px");
  function button() {
    var b = { text: "", isVisible: false, clicks: [], progress: false };
    b.setText = function (t) { b.text = t; return b; };
    b.show = function () { b.isVisible = true; return b; };
    b.hide = function () { b.isVisible = false; return b; };
    b.onClick = function (f) { b.clicks.push(f); return b; };
    b.showProgress = function () { b.progress = true; return b; };
    b.hideProgress = function () { b.progress = false; return b; };
    b.press = function () { b.clicks.forEach(function (f) { f(); }); };
    return b;
  }
  window.Telegram = { WebApp: {
    initData: __INIT_DATA__, colorScheme: __SCHEME__, themeParams: theme,
    ready: function () { window.Telegram.WebApp.isReady = true; },
    expand: function () { window.Telegram.WebApp.isExpanded = true; },
    onEvent: function (name, f) { (handlers[name] = handlers[name] || []).push(f); },
    opened: [],
    // what Telegram does when the person switches theme while the app is open
    switchTheme: function (colours, scheme) {
      var app = window.Telegram.WebApp;
      paint(colours); app.themeParams = colours; app.colorScheme = scheme;
      (handlers.themeChanged || []).forEach(function (f) { f.call(app); });
    },
    openTelegramLink: function (url) { window.Telegram.WebApp.opened.push(url); },
    // an outside address (a meeting room): Telegram opens the browser, the app stays
    openLink: function (url) { window.Telegram.WebApp.opened.push(url); },
    MainButton: button(), BackButton: button()
  } };
})();
""".replace("__THEME__", json.dumps(theme)).replace("__INIT_DATA__", json.dumps(init_data)) \
        .replace("__SCHEME__", json.dumps(scheme))
