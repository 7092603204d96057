/* spotcheck: progressive enhancement only; every page works without this file.
 *
 * Forms marked data-autosubmit (the header's department switcher) submit as soon as their
 * select changes; without JavaScript their own button does it.
 *
 * The draw ceremony: a [data-fullscreen] button (hidden without JavaScript) fills the screen,
 * and a form[data-confirm] asks once before it is sent, then cannot be sent twice.
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

    if (document.documentElement.requestFullscreen) {
      document.querySelectorAll("[data-fullscreen]").forEach(function (button) {
        button.hidden = false;
        button.addEventListener("click", function () {
          if (document.fullscreenElement) {
            document.exitFullscreen();
          } else {
            document.documentElement.requestFullscreen();
          }
        });
      });
    }

    document.querySelectorAll("form[data-confirm]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (!window.confirm(form.getAttribute("data-confirm"))) {
          event.preventDefault();
          return;
        }
        form.querySelectorAll("button[type=submit]").forEach(function (button) {
          button.disabled = true;
        });
      });
    });
  });
})();
