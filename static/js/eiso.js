// Small progressive enhancements; the pages work without them.
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
    event.preventDefault();
    return;
  }
  // Show the clicked button as busy and stop double submits. A disabled button is left out
  // of the form data, so its name=value is carried in a hidden input first.
  const button = event.submitter;
  if (button && button.hasAttribute("data-busy")) {
    if (button.name) {
      const carried = document.createElement("input");
      carried.type = "hidden";
      carried.name = button.name;
      carried.value = button.value;
      form.appendChild(carried);
    }
    button.disabled = true;
    button.insertAdjacentHTML("afterbegin", '<span class="spinner-border spinner-border-sm me-1" role="status"></span>');
  }
});
