/* /search/: 近くをさがす with the browser's position, and links that open the filter panel.
 * The status messages come translated from the form's data-asking/-searching/-failed.
   The position is rounded here to data-decimals (search.views.NEAR_ME_DECIMALS, ~100 m; the
   server rounds again with the same rule) before it is put into the form, so a more precise
   point never leaves the browser; the page keeps nothing. Without JS (or geolocation) the button stays hidden and the
   typed place works as is. A static file: the Content-Security-Policy allows no inline code. */
(function () {
  "use strict";
  var panel = document.getElementById("filters");
  document.querySelectorAll("[data-search-open-filters]").forEach(function (link) {
    link.addEventListener("click", function () { if (panel) { panel.open = true; } });
  });
  if (panel && window.location.hash === "#near") { panel.open = true; }
  var form = document.querySelector("[data-search-near]");
  if (!form || !("geolocation" in navigator)) { return; }
  var button = form.querySelector("[data-search-near-button]");
  var status = form.querySelector("[data-search-near-status]");
  var lat = form.querySelector("[data-search-near-lat]");
  var lng = form.querySelector("[data-search-near-lng]");
  var place = form.querySelector("input[name=place]");
  var decimals = parseInt(form.getAttribute("data-decimals"), 10) || 3;
  button.hidden = false;
  button.addEventListener("click", function () {
    status.textContent = form.getAttribute("data-asking");
    navigator.geolocation.getCurrentPosition(
      function (position) {
        lat.value = position.coords.latitude.toFixed(decimals);
        lng.value = position.coords.longitude.toFixed(decimals);
        lat.disabled = false;
        lng.disabled = false;
        place.disabled = true;
        status.textContent = form.getAttribute("data-searching");
        form.submit();
      },
      function () {
        status.textContent = form.getAttribute("data-failed");
      },
      { enableHighAccuracy: false, timeout: 10000, maximumAge: 600000 }
    );
  });
})();
