// Coverage choropleth: district outlines shaded by count, or circles at centroids when a
// district has no outline. Progressive enhancement: the table below holds the same numbers.
(function () {
  "use strict";
  var holder = document.getElementById("coverage-map");
  var data = document.getElementById("coverage-geojson");
  var config = document.getElementById("coverage-map-config");
  if (!holder || !data || !config || typeof L === "undefined") return;
  var geojson = JSON.parse(data.textContent);
  var settings = JSON.parse(config.textContent);
  var max = geojson.features.reduce(function (m, f) { return Math.max(m, f.properties.count); }, 0);
  var shades = ["#f7f4f0", "#d9e8f5", "#9ecae1", "#4292c6", "#08519c"];

  function shade(count) {
    if (!count) return shades[0];
    return shades[Math.min(shades.length - 1, 1 + Math.floor((count / Math.max(max, 1)) * (shades.length - 2)))];
  }

  var map = L.map(holder, { scrollWheelZoom: false });
  L.tileLayer(settings.tile_url, { attribution: settings.attribution, maxZoom: 18 }).addTo(map);
  var layer = L.geoJSON(geojson, {
    style: function (feature) {
      return { color: "#333", weight: 1, fillColor: shade(feature.properties.count), fillOpacity: 0.7 };
    },
    pointToLayer: function (feature, latlng) {
      return L.circleMarker(latlng, { radius: 8 + Math.sqrt(feature.properties.count) * 4 });
    },
    onEachFeature: function (feature, lyr) {
      var p = feature.properties;
      lyr.bindTooltip(p.name + "：" + p.count + "件");
    }
  }).addTo(map);
  map.fitBounds(layer.getBounds(), { padding: [12, 12] });
})();
