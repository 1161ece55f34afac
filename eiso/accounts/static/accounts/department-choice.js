// A department <select> marked data-departments-of="<agency field name>" (eiso/accounts/forms.py)
// lists only the chosen agency's departments. When another agency is chosen, its departments
// are read from the departments API and the options made again (createElement/textContent, no
// markup from strings); with no agency chosen only the empty choice is left. Without this
// script the form still works: the server lists the posted agency's departments when it
// refuses the form, and refuses a department of another agency.
(function () {
  "use strict";

  function setUp(select) {
    if (select.dataset.departmentsReady) return;
    select.dataset.departmentsReady = "1";
    var form = select.form;
    var url = select.dataset.departmentsUrl;
    var name = select.dataset.departmentsOf;
    if (!form || !url || !name) return;
    var agency = form.querySelector('input[type="hidden"][name="' + name + '"]');
    if (!agency) return;
    var empty = select.querySelector('option[value=""]');
    var asked = 0; // the number of the latest request: older answers are dropped

    function fill(departments) {
      var chosen = select.value;
      select.replaceChildren();
      if (empty) select.appendChild(empty);
      departments
        .filter(function (d) { return d.is_active; })
        .sort(function (a, b) { return a.name.localeCompare(b.name, "vi"); })
        .forEach(function (d) {
          var option = document.createElement("option");
          option.value = String(d.id);
          option.textContent = d.name;
          if (option.value === chosen) option.selected = true;
          select.appendChild(option);
        });
    }

    agency.addEventListener("change", function () {
      var number = ++asked;
      if (!agency.value) {
        fill([]);
        return;
      }
      var separator = url.indexOf("?") === -1 ? "?" : "&";
      fetch(url + separator + "page_size=500&agency=" + encodeURIComponent(agency.value), {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      })
        .then(function (response) {
          return response.ok ? response.json() : { results: [] };
        })
        .then(function (body) {
          if (number === asked) fill(body.results || []);
        })
        .catch(function () {
          if (number === asked) fill([]);
        });
    });
  }

  function setUpAll(root) {
    root.querySelectorAll("select[data-departments-of]").forEach(setUp);
  }
  document.addEventListener("DOMContentLoaded", function () {
    setUpAll(document);
  });
})();
