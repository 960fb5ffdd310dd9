// A request's page kept current without reloading: the time left, the sellers answering and
// an auction's best bid (a lot's highest, and whether its reserve is met), from the server's event stream (the page reads fine without it).
(function () {
  var page = document.getElementById("request");
  if (!page || !window.EventSource) return;
  var closes = new Date(page.dataset.closes);
  // The server's clock, not the device's: how far ahead of this device the server is.
  var skew = new Date(page.dataset.now) - new Date();
  var words = JSON.parse(page.dataset.words);
  function text(selector, value) {
    var el = page.querySelector(selector);
    if (el && value !== null && value !== undefined) el.textContent = value;
  }
  function tick() {
    var left = Math.max(0, Math.round((closes - new Date() - skew) / 1000));
    text(".time-left", words.left.replace("{hours}", Math.floor(left / 3600))
      .replace("{minutes}", Math.floor(left % 3600 / 60)).replace("{seconds}", left % 60));
  }
  var stream = new EventSource(page.dataset.live);
  stream.onmessage = function (event) {
    var live = JSON.parse(event.data);
    closes = new Date(live.closes_at);
    skew = new Date(live.now) - new Date();
    text(".answers", String(live.answers));
    if (live.best) text(".best", words.per.replace("{price}", live.best));
    if (live.own) text(".own", words.per.replace("{price}", live.own));
    if (live.reserve_met === true) text(".reserve", words.met);
    if (live.reserve_met === false) text(".reserve", words.unmet);
    if (live.rank) text(".rank", words.rank.replace("{rank}", live.rank)
      .replace("{bidders}", live.answers));
    if (!live.open) {
      text(".status", words.closed);
      text(".time-left", words.closed);
      stream.close();
    }
  };
  tick();
  setInterval(tick, 1000);
})();
