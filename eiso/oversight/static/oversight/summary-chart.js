// The summary page's bar chart: one group per tier, one bar per count (data from json_script).
(function () {
  "use strict";
  var canvas = document.getElementById("summary-chart");
  var source = document.getElementById("summary-chart-data");
  if (!canvas || !source || typeof Chart === "undefined") {
    return;
  }
  var data = JSON.parse(source.textContent);
  var colours = ["#6c757d", "#0dcaf0", "#0d6efd", "#198754", "#20c997", "#dc3545"];
  new Chart(canvas, {
    type: "bar",
    data: {
      labels: data.labels,
      datasets: data.series.map(function (series, i) {
        return { label: series.label, data: series.data, backgroundColor: colours[i % colours.length] };
      }),
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
      plugins: { legend: { position: "bottom", labels: { boxWidth: 12 } } },
    },
  });
})();
