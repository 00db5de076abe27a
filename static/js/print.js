/* Buttons marked data-print open the browser's print dialog. A static file rather than an
   onclick= attribute, because the site's Content-Security-Policy allows no inline code. A button
   marked hidden is shown here, so it never sits dead on a page without JavaScript. */
(function () {
  "use strict";
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
})();
