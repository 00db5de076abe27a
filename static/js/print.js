/* Buttons marked data-print open the browser's print dialog. A static file rather than an
   onclick= attribute, because the site's Content-Security-Policy allows no inline code. */
(function () {
  "use strict";
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
})();
