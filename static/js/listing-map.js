/* A small Leaflet map for one listing. The address is always written on the page,
   so without JavaScript (or without tiles) nothing is lost; the map is only shown here. */
(function () {
  "use strict";
  var element = document.getElementById("listing-map");
  var source = document.getElementById("listing-map-config");
  if (!element || !source || typeof L === "undefined") { return; }
  var config = JSON.parse(source.textContent);
  if (config.lat === null || config.lng === null) { return; }
  element.hidden = false;
  var map = L.map(element, { scrollWheelZoom: false, keyboard: true }).setView([config.lat, config.lng], 16);
  L.tileLayer(config.tileUrl, { attribution: config.attribution, maxZoom: 18 }).addTo(map);
  L.marker([config.lat, config.lng], { alt: config.name, keyboard: false }).addTo(map);
})();
