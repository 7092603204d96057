/* spotcheck: progressive enhancement only; every page works without this file.
 *
 * Forms marked data-autosubmit (the header's department switcher) submit as soon as their
 * select changes; without JavaScript their own button does it.
 */
(function () {
  "use strict";

  document.documentElement.classList.add("js");

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-autosubmit]").forEach(function (form) {
      form.addEventListener("change", function (event) {
        if (event.target.matches("select")) {
          // requestSubmit runs the form's validation; older browsers only have submit.
          if (form.requestSubmit) {
            form.requestSubmit();
          } else {
            form.submit();
          }
        }
      });
    });
  });
})();
