// AgencyField (eiso/core/fields.py): choose an agency by typing its code or name. The
// suggestions come from the agencies API (the best match first, accents ignored), for the
// field's scope; the chosen agency's id goes into the hidden input the form submits. No
// markup is built from strings: every suggestion is made with createElement/textContent.
(function () {
  "use strict";

  var DELAY_MS = 200;

  function setUp(box) {
    if (box.dataset.agencyReady) return;
    box.dataset.agencyReady = "1";
    var input = box.querySelector("[data-agency-input]");
    var hidden = box.querySelector("[data-agency-value]");
    var list = box.querySelector("[data-agency-list]");
    var url = box.dataset.url;
    if (!input || !hidden || !list || !url) return;
    var timer = null;
    var asked = 0; // the number of the latest request: older answers are dropped
    var active = -1;

    function items() {
      return Array.prototype.slice.call(list.querySelectorAll("[data-agency-id]"));
    }

    function close() {
      list.classList.remove("show");
      input.setAttribute("aria-expanded", "false");
      active = -1;
    }

    function highlight(index) {
      var all = items();
      all.forEach(function (item, i) {
        item.classList.toggle("active", i === index);
        item.setAttribute("aria-selected", i === index ? "true" : "false");
      });
      active = index;
      if (all[index]) all[index].scrollIntoView({ block: "nearest" });
    }

    function choose(item) {
      var changed = hidden.value !== item.dataset.agencyId;
      hidden.value = item.dataset.agencyId;
      input.value = item.dataset.agencyText;
      input.dataset.chosenText = item.dataset.agencyText;
      close();
      if (changed) hidden.dispatchEvent(new Event("change", { bubbles: true }));
      if (box.hasAttribute("data-submit-on-choose") && input.form) {
        if (input.form.requestSubmit) input.form.requestSubmit();
        else input.form.submit();
      }
    }

    function clear() {
      var changed = hidden.value !== "";
      hidden.value = "";
      input.dataset.chosenText = "";
      if (changed) hidden.dispatchEvent(new Event("change", { bubbles: true }));
    }

    function message(text) {
      var li = document.createElement("li");
      var span = document.createElement("span");
      span.className = "dropdown-item-text text-muted small";
      span.textContent = text;
      li.appendChild(span);
      return li;
    }

    function show(results) {
      list.replaceChildren();
      if (!results.length) {
        list.appendChild(message(box.dataset.noMatch || "—"));
      }
      results.forEach(function (agency) {
        var li = document.createElement("li");
        var button = document.createElement("button");
        button.type = "button";
        button.className = "dropdown-item text-wrap";
        button.setAttribute("role", "option");
        button.dataset.agencyId = String(agency.id);
        button.dataset.agencyText = agency.code ? agency.name + " (" + agency.code + ")" : agency.name;
        button.textContent = agency.name;
        if (agency.code) {
          var code = document.createElement("small");
          code.className = "text-muted ms-1";
          code.textContent = agency.code;
          button.appendChild(code);
        }
        button.addEventListener("mousedown", function (event) {
          event.preventDefault(); // keep the focus: the blur would close the list first
        });
        button.addEventListener("click", function () {
          choose(button);
        });
        li.appendChild(button);
        list.appendChild(li);
      });
      list.classList.add("show");
      input.setAttribute("aria-expanded", "true");
      active = -1;
    }

    function search() {
      var text = input.value.trim();
      if (!text) {
        close();
        return;
      }
      var number = ++asked;
      var separator = url.indexOf("?") === -1 ? "?" : "&";
      fetch(url + separator + "q=" + encodeURIComponent(text), {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      })
        .then(function (response) {
          return response.ok ? response.json() : { results: [] };
        })
        .then(function (body) {
          if (number === asked && document.activeElement === input) show(body.results || []);
        })
        .catch(function () {
          close();
        });
    }

    input.addEventListener("input", function () {
      if (!input.value.trim()) clear();
      window.clearTimeout(timer);
      timer = window.setTimeout(search, DELAY_MS);
    });
    input.addEventListener("keydown", function (event) {
      var all = items();
      if (event.key === "ArrowDown" && all.length) {
        event.preventDefault();
        if (!list.classList.contains("show")) list.classList.add("show");
        highlight(Math.min(active + 1, all.length - 1));
      } else if (event.key === "ArrowUp" && all.length) {
        event.preventDefault();
        highlight(Math.max(active - 1, 0));
      } else if (event.key === "Enter" && list.classList.contains("show")) {
        event.preventDefault(); // Enter chooses; it does not submit a half-typed name
        if (all[active]) choose(all[active]);
        else if (all.length === 1) choose(all[0]);
      } else if (event.key === "Escape") {
        close();
      }
    });
    input.addEventListener("blur", function () {
      close();
      if (!input.value.trim()) clear();
      else input.value = input.dataset.chosenText || ""; // typed but not chosen: back
    });
  }

  function setUpAll(root) {
    root.querySelectorAll("[data-agency-field]").forEach(setUp);
  }
  document.addEventListener("DOMContentLoaded", function () {
    setUpAll(document);
  });
  document.addEventListener("htmx:load", function (event) {
    setUpAll(event.target);
  });
})();
