/* The map of /search/map/: the same results as the list, clustered (leaflet.markercluster,
   vendored in static/vendor/markercluster with its licence). Data come from a JSON script tag
   (the CSP allows no inline code). Only listings with a public point are in it: a confidential
   place has no point in its search document, so it cannot be placed here. Without JavaScript
   the lists on the page say the same. */
(function () {
  "use strict";
  var element = document.getElementById("search-map");
  var source = document.getElementById("search-map-config");
  if (!element || !source || typeof L === "undefined") { return; }
  var config = JSON.parse(source.textContent);
  if (!config.markers.length) { return; }
  element.hidden = false;
  var map = L.map(element, { scrollWheelZoom: false, keyboard: true });
  L.tileLayer(config.tileUrl, { attribution: config.attribution, maxZoom: 18 }).addTo(map);
  var group = typeof L.markerClusterGroup === "function"
    ? L.markerClusterGroup({ showCoverageOnHover: false, maxClusterRadius: 50 })
    : L.featureGroup();
  config.markers.forEach(function (m) {
    var popup = document.createElement("div");
    var link = document.createElement("a");
    link.href = m.url;
    link.textContent = m.name;
    popup.appendChild(link);
    if (m.area) {
      var area = document.createElement("div");
      area.textContent = m.area;
      popup.appendChild(area);
    }
    group.addLayer(L.marker([m.lat, m.lng], { alt: m.name, title: m.name }).bindPopup(popup));
  });
  map.addLayer(group);
  var bounds = L.latLngBounds(config.markers.map(function (m) { return [m.lat, m.lng]; }));
  map.fitBounds(bounds, { padding: [24, 24], maxZoom: 16 });
})();
