/* The map of a page of results. Leaflet (shipped in static/vendor) is loaded only when the map
   comes near the screen; each listing sits at the centre of its town. Without tiles (none set,
   or none reachable) the markers still show on a plain background, and without JavaScript the
   list of towns inside the box stays. */
(function () {
  "use strict";
  // Also called by the Mini App (mini_app.js) each time it shows a screen with a map.
  window.agoraMap = start_map;
  start_map();

  function start_map() {
  var box = document.getElementById("map");
  if (!box) return;
  var points = JSON.parse(document.getElementById("map-points").textContent || "[]");
  if (!points.length) return;

  function load(src, css) {
    return new Promise(function (done, failed) {
      var el = document.createElement(css ? "link" : "script");
      if (css) { el.rel = "stylesheet"; el.href = src; } else { el.src = src; }
      el.onload = done; el.onerror = failed;
      document.head.appendChild(el);
    });
  }

  function draw() {
    var list = box.querySelector(".map-list");
    var map = L.map(box, { scrollWheelZoom: false, attributionControl: true });
    var tiles = box.getAttribute("data-tiles");
    if (tiles) {
      L.tileLayer(tiles, { maxZoom: 18, attribution: box.getAttribute("data-attribution") }).addTo(map);
    }
    var style = getComputedStyle(document.documentElement);
    var colour = style.getPropertyValue("--accent").trim() || "#1d6a40";
    var markers = points.map(function (p) {
      var marker = L.circleMarker([p.lat, p.lon], { radius: 9, color: "#fff", weight: 2,
        fillColor: colour, fillOpacity: 0.9 });
      var link = document.createElement("a");
      link.href = p.url; link.textContent = p.title;
      var card = document.createElement("div");
      card.appendChild(link);
      card.appendChild(document.createElement("br"));
      card.appendChild(document.createTextNode(p.price + " · " + p.place));
      marker.bindPopup(card);
      marker.bindTooltip(p.title);
      return marker.addTo(map);
    });
    var group = L.featureGroup(markers);
    map.fitBounds(group.getBounds().pad(0.3), { maxZoom: 9 });
    if (list) list.classList.add("visually-hidden");  // still read out: the towns in words
    box.setAttribute("data-ready", String(markers.length));
  }

  function start() {
    if (window.L) return draw();
    Promise.all([load("/static/vendor/leaflet.css", true), load("/static/vendor/leaflet.js")])
      .then(draw, function () { box.setAttribute("data-ready", "0"); });
  }

  if ("IntersectionObserver" in window) {
    var seen = new IntersectionObserver(function (entries) {
      if (entries.some(function (e) { return e.isIntersecting; })) { seen.disconnect(); start(); }
    }, { rootMargin: "200px" });
    seen.observe(box);
  } else {
    start();
  }
  }
})();
