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

// Under the Content-Security-Policy no markup carries style="" or on*= handlers:
// a progress bar's width comes from data-progress, and a button marked
// data-remove-after-request disappears once its htmx request is done (the tree's "expand").
function applyProgress(root) {
  root.querySelectorAll(".progress-bar[data-progress]").forEach((bar) => {
    const value = Math.max(0, Math.min(100, parseFloat(bar.dataset.progress) || 0));
    bar.style.width = `${value}%`;
  });
}
document.addEventListener("DOMContentLoaded", () => applyProgress(document));
document.addEventListener("htmx:load", (event) => applyProgress(event.target));
document.addEventListener("htmx:afterRequest", (event) => {
  const element = event.detail && event.detail.elt;
  if (element && element.hasAttribute("data-remove-after-request")) element.remove();
});
