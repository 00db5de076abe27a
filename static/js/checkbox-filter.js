/* 「絞り込み」 for long checkbox lists in the Wagtail editor.
 *
 * directory/wagtail_admin/checkbox_filter.py wraps each list in [data-tsunagari-checkbox-filter]
 * with a hidden search box. For lists longer than MIN_OPTIONS the box is shown; typing hides the
 * options whose label does not contain the text (width, case and kana folded). Options are only
 * hidden, never unticked, so what is ticked is still saved.
 */
(function () {
  "use strict";

  var MIN_OPTIONS = 8;

  function fold(text) {
    return String(text)
      .normalize("NFKC")
      .toLowerCase()
      .replace(/[\u30a1-\u30f6]/g, function (c) {
        return String.fromCharCode(c.charCodeAt(0) - 0x60); // katakana → hiragana
      })
      .replace(/\s+/g, "");
  }

  function options(wrapper) {
    return Array.prototype.map.call(
      wrapper.querySelectorAll('input[type="checkbox"]'),
      function (checkbox) {
        var label = checkbox.closest("label") || wrapper.querySelector('label[for="' + checkbox.id + '"]');
        var item = (label || checkbox).parentElement;
        return { item: item, text: fold(label ? label.textContent : checkbox.value) };
      }
    );
  }

  function enhance(wrapper) {
    var input = wrapper.querySelector("[data-tsunagari-checkbox-filter-input]");
    var items = options(wrapper);
    if (!input || items.length < MIN_OPTIONS) {
      return;
    }
    input.closest(".tsunagari-checkbox-filter__box").hidden = false;
    input.addEventListener("input", function () {
      var wanted = fold(input.value);
      items.forEach(function (option) {
        option.item.hidden = wanted !== "" && option.text.indexOf(wanted) === -1;
      });
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault(); // Enter in the box must not submit the page form
      }
    });
  }

  function start() {
    document.querySelectorAll("[data-tsunagari-checkbox-filter]").forEach(enhance);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
