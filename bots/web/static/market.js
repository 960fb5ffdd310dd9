/* The market chart of /market/{product}: uPlot (static/vendor) draws the figures of the page's
   #market-data block in #market-chart, in place of the PNG the box starts with (the PNG stays
   for readers without JavaScript, or when uPlot does not load). The plot takes the box's width
   and its height less the legend's, so the legend sits under the data and the page does not
   move; money in the legend is the server's own writing of it ("€47.92"), for the reader. */
(function () {
  "use strict";
  var box = document.getElementById("market-chart");
  var source = document.getElementById("market-data");
  if (!box || !source || !window.uPlot) return;
  var data = JSON.parse(source.textContent);
  var root = getComputedStyle(document.documentElement);
  var ink = root.getPropertyValue("--ink").trim() || "#1a1f1c";
  var line = root.getPropertyValue("--line").trim() || "#d5dad3";
  var font = "12px " + getComputedStyle(box).fontFamily;
  var phone = window.matchMedia("(max-width: 40rem)");
  var MIN_PLOT = 180;  // px: the least height the plot itself keeps

  // Axis ticks in the reader's locale ("€48", "48,50 €"): cents only when the step has them.
  function money(value, cents) {
    try {
      return new Intl.NumberFormat(data.locale, { style: "currency", currency: data.currency,
        minimumFractionDigits: cents ? 2 : 0, maximumFractionDigits: cents ? 2 : 0 }).format(value);
    } catch (e) {
      return value + " " + data.currency;
    }
  }

  // How each series looks, as in the PNG: deals solid, listings dashed, forecast dotted.
  var LOOK = {
    volume: { stroke: "rgba(59,125,216,.5)", fill: "rgba(59,125,216,.18)", scale: "mwh", bars: true },
    deal: { stroke: "#3b7dd8", width: 2 },
    ask: { stroke: "#888888", width: 2, dash: [6, 4] },
    awarded: { stroke: "#b15928", width: 2 },
    forecast: { stroke: "#e0a100", width: 2, dash: [2, 4] },
    low: { stroke: "rgba(224,161,0,.55)", width: 1, bare: true },
    high: { stroke: "rgba(224,161,0,.55)", width: 1, bare: true }
  };

  // A series with nothing to show (no tenders, say) stays out of the plot and the legend.
  var drawn = data.series.filter(function (s) {
    return s.values.some(function (v) { return v != null && v !== 0; });
  });
  var by = {};
  drawn.forEach(function (s) { by[s.key] = s; });
  // Away from the plot, the legend reads the last month's figures.
  var last = data.past - 1;
  function shown(s, i) {
    if (i == null) i = last;
    return s.shown[i] == null ? "—" : s.shown[i];
  }

  var series = [{ label: data.month, value: function (u, x) {
    return data.labels[x == null ? last : x];
  } }];
  var bands = [];
  var at = {};
  drawn.forEach(function (s) {
    var look = LOOK[s.key] || { stroke: ink };
    at[s.key] = series.length;
    series.push({
      label: s.label, scale: look.scale || "money", stroke: look.stroke, fill: look.fill,
      width: look.width || 1, dash: look.dash,
      paths: look.bars ? uPlot.paths.bars({ size: [0.6, 28] }) : undefined,
      points: { show: !look.bars && !look.bare, size: 6 },  // a lone month still shows
      value: function (u, v, si, i) {
        if (s.key === "forecast") {  // its months only, with the interval: "€63 (€58 – €68)"
          if (i == null || i < data.past || s.shown[i] == null) return "—";
          if (!by.low || !by.high) return s.shown[i];
          return s.shown[i] + " (" + shown(by.low, i) + " – " + shown(by.high, i) + ")";
        }
        return shown(s, i);
      }
    });
  });
  if (at.high && at.low) bands.push({ series: [at.high, at.low], fill: "rgba(224,161,0,.2)" });

  var axis = { stroke: ink, font: font, grid: { stroke: line, width: 1 },
    ticks: { stroke: line, width: 1 } };
  function merge(a, b) { return Object.assign({}, a, b); }
  var columns = data.labels.map(function (label, i) { return i; });
  var values = [columns].concat(drawn.map(function (s) { return s.values; }));

  // The plot for a phone (narrower axes, no axis titles, months further apart) or not.
  function make() {
    var wide = !phone.matches;
    var made = new uPlot({
      width: box.clientWidth, height: plot ? plot.height : box.clientHeight,
      bands: bands, series: series,
      scales: {
        x: { time: false, range: [-0.5, data.labels.length - 0.5] },
        money: {},
        mwh: { range: function (u, min, max) { return [0, (max || 1) * 2.5]; } }  // bars low
      },
      axes: [
        merge(axis, { space: wide ? 64 : 56, incrs: [1, 2, 3, 4, 6, 12],  // months, px apart
          values: function (u, splits) {
            return splits.map(function (i) { return data.labels[i] || ""; });
          } }),
        merge(axis, { scale: "money", label: wide ? data.price : undefined, size: wide ? 60 : 48,
          values: function (u, splits, i, space, step) {
            return splits.map(function (v) { return money(v, step % 1 !== 0); });
          } }),
        merge(axis, { scale: "mwh", side: 1, grid: { show: false },
          label: wide ? data.volume : undefined, size: wide ? 48 : 36 })
      ],
      legend: { live: true },
      hooks: { setSize: [settle] },
      cursor: { points: { size: 8 } }
    }, values, box);
    // Out of the flow: what uPlot draws never makes the box taller than its aspect ratio.
    made.root.style.position = "absolute";
    made.root.style.inset = "0";
    // The interval's edges are the forecast's band; the forecast's legend entry names them.
    var rows = made.root.querySelectorAll(".u-legend .u-series");
    [at.low, at.high].forEach(function (i) { if (i && rows[i]) rows[i].style.display = "none"; });
    return made;
  }

  // The box's width, then (once uPlot has laid out the legend for that width, in its setSize
  // hook) the box's height less the legend's.
  function fit() { plot.setSize({ width: box.clientWidth, height: plot.height }); }
  function settle(u) {
    var legend = u.root.querySelector(".u-legend");
    var under = (legend ? legend.offsetHeight : 0) + 8;  // and a little air above the caption
    // A narrow phone's legend may want more room than the box has: the box then grows.
    box.style.minHeight = MIN_PLOT + under + "px";
    var height = box.clientHeight - under;
    // (After uPlot's own commit: a size set inside its hook would be lost.)
    if (Math.abs(height - u.height) > 1) {
      Promise.resolve().then(function () {
        if (u === plot) u.setSize({ width: u.width, height: height });
      });
    }
  }

  var plot = null;
  box.textContent = "";  // the PNG goes; the box keeps its size (CSS aspect-ratio)
  plot = make();
  fit();
  var pending = false;
  function later() {
    if (pending) return;
    pending = true;
    requestAnimationFrame(function () { pending = false; fit(); });
  }
  if ("ResizeObserver" in window) new ResizeObserver(later).observe(box);
  else window.addEventListener("resize", later);
  phone.addEventListener("change", function () { plot.destroy(); plot = make(); fit(); });
  box.setAttribute("data-ready", "1");
})();
