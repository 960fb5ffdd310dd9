/* Free times are sent in UTC (the server cannot know the visitor's zone); shown here in the
   visitor's own clock and language. Without JavaScript they stay in UTC, labelled so. */
(function () {
  "use strict";
  var lang = document.documentElement.lang || undefined;
  var format = new Intl.DateTimeFormat(lang, { weekday: "short", day: "numeric", month: "short",
    hour: "2-digit", minute: "2-digit", timeZoneName: "short" });
  document.querySelectorAll("time[data-local]").forEach(function (el) {
    el.textContent = format.format(new Date(el.getAttribute("datetime")));
  });
})();
