// Coverage choropleth: district outlines shaded by count, or circles at centroids when a
// district has no outline. Progressive enhancement: the map and legend stay hidden without
// JavaScript and the table below holds the same numbers. Each district carries a label
// (name and count); a tap or click opens the same text as a popup, since touch has no hover.
(function () {
  "use strict";
  var holder = document.getElementById("coverage-map");
  var legend = document.getElementById("coverage-map-legend");
  var data = document.getElementById("coverage-geojson");
  var config = document.getElementById("coverage-map-config");
  if (!holder || !data || !config || typeof L === "undefined") return;
  var geojson = JSON.parse(data.textContent);
  var settings = JSON.parse(config.textContent);
  var words = settings.words;

  // Fill a worded template from the page (coordination.views.coverage_map_words).
  function fill(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (all, key) { return values[key]; });
  }

  function listings(count) {
    return fill(count === 1 ? words.one : words.many, { count: count });
  }
  var max = geojson.features.reduce(function (m, f) { return Math.max(m, f.properties.count); }, 0);
  var shades = ["#f7f4f0", "#d9e8f5", "#9ecae1", "#4292c6", "#08519c"];

  function step(count) {
    if (!count) return 0;
    return Math.min(shades.length - 1, 1 + Math.floor((count / Math.max(max, 1)) * (shades.length - 2)));
  }

  function drawLegend() {
    if (!legend) return;
    var title = document.createElement("p");
    title.className = "coverage-legend__title";
    title.textContent = words.legend;
    var list = document.createElement("ul");
    list.className = "coverage-legend__list";
    var seen = {};
    var labels = [[0, words.none]];
    for (var count = 1; count <= max; count++) {
      var s = step(count);
      if (!seen[s]) { seen[s] = [count, count]; labels.push([s, null]); } else { seen[s][1] = count; }
    }
    labels.forEach(function (entry) {
      var item = document.createElement("li");
      var swatch = document.createElement("span");
      swatch.className = "coverage-legend__swatch";
      swatch.style.backgroundColor = shades[entry[0]];
      var range = seen[entry[0]];
      var text = entry[1] || (range[0] === range[1] ? listings(range[0]) : fill(words.range, { low: range[0], high: range[1] }));
      item.appendChild(swatch);
      item.appendChild(document.createTextNode(text));
      list.appendChild(item);
    });
    legend.appendChild(title);
    legend.appendChild(list);
    legend.hidden = false;
  }

  holder.hidden = false;
  var map = L.map(holder, { scrollWheelZoom: false });
  L.tileLayer(settings.tile_url, { attribution: settings.attribution, maxZoom: 18 }).addTo(map);
  var layer = L.geoJSON(geojson, {
    style: function (feature) {
      return { color: "#333", weight: 1, fillColor: shades[step(feature.properties.count)], fillOpacity: 0.7 };
    },
    pointToLayer: function (feature, latlng) {
      return L.circleMarker(latlng, { radius: 8 + Math.sqrt(feature.properties.count) * 4 });
    },
    onEachFeature: function (feature, lyr) {
      var p = feature.properties;
      var text = fill(words.label, { name: p.name, listings: listings(p.count) });
      lyr.bindTooltip(text, { permanent: true, direction: "center", className: "coverage-map__label" });
      lyr.bindPopup(text);
    }
  }).addTo(map);
  map.fitBounds(layer.getBounds(), { padding: [12, 12] });
  drawLegend();
})();
