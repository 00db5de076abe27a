/* Map-pin panel for the listing editor (Wagtail admin).
 *
 * Enhances each panel with the class "tsunagari-map-pin": a Leaflet map (django-leaflet's
 * bundled copy, no CDN) where clicking or dragging the pin fills the 緯度/経度 inputs, and typing
 * in the inputs moves the pin. The inputs stay the source of truth, so keyboard and
 * screen-reader users (and browsers without JavaScript) simply type the numbers.
 * Configuration (tile URL, attribution, default view, the centre of each of the PF's areas)
 * comes from a JSON script element written by directory/wagtail_admin/editor.py. While the
 * listing has no pin, the map shows the chosen 地域 (select "area"), so an editor starts near
 * the place instead of panning across the country.
 */
(function () {
  "use strict";

  var JAPAN = { minLat: 20, maxLat: 46, minLng: 122, maxLng: 154 };

  function readConfig() {
    var element = document.getElementById("tsunagari-map-config");
    return element ? JSON.parse(element.textContent) : null;
  }

  function parseCoordinate(input) {
    var value = parseFloat(String(input.value).replace(/[０-９．－]/g, function (c) {
      return String.fromCharCode(c.charCodeAt(0) - 0xfee0);
    }));
    return isNaN(value) ? null : value;
  }

  function inJapan(lat, lng) {
    return lat >= JAPAN.minLat && lat <= JAPAN.maxLat && lng >= JAPAN.minLng && lng <= JAPAN.maxLng;
  }

  function setInput(input, value) {
    input.value = value.toFixed(6);
    input.dispatchEvent(new Event("input", { bubbles: true }));
    input.dispatchEvent(new Event("change", { bubbles: true }));
  }

  function enhance(panel, config) {
    var latInput = panel.querySelector('input[name="lat"]');
    var lngInput = panel.querySelector('input[name="lng"]');
    if (!latInput || !lngInput || panel.querySelector(".tsunagari-map-pin__map")) {
      return;
    }

    var help = document.createElement("p");
    help.className = "help tsunagari-map-pin__help";
    help.id = "tsunagari-map-pin-help";
    help.textContent =
      "地図をクリックするか、ピンをドラッグすると緯度・経度が入ります。" +
      "キーボードでは上の欄に数値（例: 35.681236 と 139.767125）を入力してください。";
    var mapElement = document.createElement("div");
    mapElement.className = "tsunagari-map-pin__map";
    mapElement.style.height = "320px";
    mapElement.style.marginBlock = "0.75rem";
    mapElement.setAttribute("role", "region");
    mapElement.setAttribute("aria-label", "位置を指定する地図");
    mapElement.setAttribute("aria-describedby", help.id);
    var clearButton = document.createElement("button");
    clearButton.type = "button";
    clearButton.className = "button button-secondary button-small tsunagari-map-pin__clear";
    clearButton.textContent = "ピンを外す（緯度・経度を空にする）";

    var fieldsRow = lngInput.closest(".w-field-row") || lngInput.closest(".w-field__wrapper") || lngInput.parentNode;
    var container = document.createElement("div");
    container.className = "tsunagari-map-pin__widget";
    container.append(help, mapElement, clearButton);
    fieldsRow.parentNode.insertBefore(container, fieldsRow.nextSibling);
    [latInput, lngInput].forEach(function (input) {
      var described = input.getAttribute("aria-describedby");
      input.setAttribute("aria-describedby", (described ? described + " " : "") + help.id);
    });

    var lat = parseCoordinate(latInput);
    var lng = parseCoordinate(lngInput);
    var hasPoint = lat !== null && lng !== null && inJapan(lat, lng);
    var areaSelect = document.querySelector('[name="area"]');
    function chosenAreaCentre() {
      return areaSelect ? (config.areaCentres || {})[areaSelect.value] || null : null;
    }
    var startArea = hasPoint ? null : chosenAreaCentre();
    var map = L.map(mapElement, {
      center: hasPoint ? [lat, lng] : startArea || config.center,
      zoom: hasPoint ? config.pinnedZoom : startArea ? config.areaZoom : config.zoom,
      minZoom: config.minZoom,
      maxZoom: config.maxZoom,
      keyboard: true,
    });
    L.tileLayer(config.tileUrl, {
      attribution: config.attribution,
      maxZoom: config.maxZoom,
    }).addTo(map);

    var marker = L.marker(hasPoint ? [lat, lng] : config.center, {
      draggable: true,
      title: "地図の位置（ドラッグで移動）",
      alt: "地図の位置",
      keyboard: false,
    });
    if (hasPoint) {
      marker.addTo(map);
    }

    function pin(latlng) {
      marker.setLatLng(latlng);
      if (!map.hasLayer(marker)) {
        marker.addTo(map);
      }
      setInput(latInput, latlng.lat);
      setInput(lngInput, latlng.lng);
    }

    map.on("click", function (event) {
      pin(event.latlng);
    });
    marker.on("dragend", function () {
      pin(marker.getLatLng());
    });

    function followInputs() {
      var newLat = parseCoordinate(latInput);
      var newLng = parseCoordinate(lngInput);
      if (newLat === null || newLng === null || !inJapan(newLat, newLng)) {
        return;
      }
      marker.setLatLng([newLat, newLng]);
      if (!map.hasLayer(marker)) {
        marker.addTo(map);
      }
      // Keep the view still while the pin stays in sight (a click or drag never moves the map).
      if (!map.getBounds().contains([newLat, newLng])) {
        map.panTo([newLat, newLng]);
      }
    }
    latInput.addEventListener("change", followInputs);
    lngInput.addEventListener("change", followInputs);
    if (areaSelect) {
      areaSelect.addEventListener("change", function () {
        var centre = chosenAreaCentre();
        if (centre && !map.hasLayer(marker)) {
          map.setView(centre, config.areaZoom);
        }
      });
    }

    clearButton.addEventListener("click", function () {
      latInput.value = "";
      lngInput.value = "";
      latInput.dispatchEvent(new Event("change", { bubbles: true }));
      if (map.hasLayer(marker)) {
        map.removeLayer(marker);
      }
      latInput.focus();
    });

    // The panel may sit in a tab that is hidden when the editor opens: redraw when shown.
    if (window.ResizeObserver) {
      new ResizeObserver(function () {
        map.invalidateSize();
      }).observe(mapElement);
    }
  }

  function init() {
    var config = readConfig();
    if (!config || typeof L === "undefined") {
      return;
    }
    document.querySelectorAll(".tsunagari-map-pin").forEach(function (panel) {
      enhance(panel, config);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
