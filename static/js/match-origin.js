/* 近くをさがす on /match/: the browser's position as the starting point for distances.
   The position is rounded here, before it is put into the form, to the decimals the server
   rounds to (data-decimals, matching.profile.POINT_DECIMALS: about 1 km), so a more precise
   point never leaves the browser; it is sent only with the POSTed form and the server keeps
   nothing. A static file because the Content-Security-Policy allows no
   inline code. Without JS (or geolocation) the block stays hidden and the form works as is. */
(function () {
  "use strict";
  var block = document.querySelector("[data-match-near]");
  if (!block || !("geolocation" in navigator)) { return; }
  var lat = block.querySelector("input[name=near_lat]");
  var lng = block.querySelector("input[name=near_lng]");
  var use = block.querySelector("[data-match-near-button]");
  var clear = block.querySelector("[data-match-near-clear]");
  var status = block.querySelector("[data-match-near-status]");
  var decimals = parseInt(block.getAttribute("data-decimals"), 10) || 2;
  var round = function (value) { return value.toFixed(decimals); };
  block.hidden = false;
  use.addEventListener("click", function () {
    status.textContent = "現在地をたずねています…";
    navigator.geolocation.getCurrentPosition(
      function (position) {
        lat.value = round(position.coords.latitude);
        lng.value = round(position.coords.longitude);
        clear.hidden = false;
        status.textContent = "現在地（約1km単位）を出発点にします。「この内容でさがす」を押してください。";
      },
      function () {
        status.textContent = "現在地を使えませんでした。小学校区を選ぶか、地名・施設名を入力してください。";
      },
      { enableHighAccuracy: false, timeout: 10000, maximumAge: 600000 }
    );
  });
  clear.addEventListener("click", function () {
    lat.value = "";
    lng.value = "";
    clear.hidden = true;
    status.textContent = "現在地は使いません。";
  });
})();
