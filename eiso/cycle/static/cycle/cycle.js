// The agency picker of the obligations page: choosing another agency shows its obligations.
(function () {
  "use strict";
  var form = document.querySelector('[data-testid="year-form"]');
  if (!form) {
    return;
  }
  var pick = form.querySelector('select[name="agency"]');
  if (pick) {
    pick.addEventListener("change", function () {
      form.submit();
    });
  }
})();
