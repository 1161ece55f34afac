// The chart of one quality objective over its year: a bar per period (green when the target is
// met, red when not) and the target as a line. Data from json_script "objective-chart-data".
(function () {
  "use strict";
  var canvas = document.getElementById("objective-chart");
  var source = document.getElementById("objective-chart-data");
  if (!canvas || !source || typeof Chart === "undefined") {
    return;
  }
  var data = JSON.parse(source.textContent);
  var colours = data.met.map(function (met) {
    if (met === true) return "#198754";
    if (met === false) return "#dc3545";
    return "#adb5bd";
  });
  var unit = data.unit ? " " + data.unit : "";
  new Chart(canvas, {
    data: {
      labels: data.labels,
      datasets: [
        { type: "bar", label: canvas.getAttribute("aria-label") || "", data: data.values, backgroundColor: colours },
        {
          type: "line",
          label: data.comparator + " " + data.target + unit,
          data: data.labels.map(function () { return data.target; }),
          borderColor: "#0d6efd",
          borderDash: [6, 4],
          pointRadius: 0,
          fill: false,
        },
      ],
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      scales: { y: { beginAtZero: true } },
      plugins: { legend: { position: "bottom", labels: { boxWidth: 12 } } },
    },
  });
})();
