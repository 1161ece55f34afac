// The months chart of the dossier figures: dossiers finished on time and late (stacked bars)
// and the on-time rate (line, right axis). Data from json_script "dossier-chart-data".
(function () {
  "use strict";
  var canvas = document.getElementById("dossier-chart");
  var source = document.getElementById("dossier-chart-data");
  if (!canvas || !source || typeof Chart === "undefined") {
    return;
  }
  var data = JSON.parse(source.textContent);
  new Chart(canvas, {
    data: {
      labels: data.labels,
      datasets: [
        { type: "bar", label: canvas.dataset.onTime, data: data.on_time, backgroundColor: "#198754", stack: "finished", yAxisID: "y" },
        { type: "bar", label: canvas.dataset.late, data: data.late, backgroundColor: "#dc3545", stack: "finished", yAxisID: "y" },
        { type: "line", label: canvas.dataset.rate, data: data.rate, borderColor: "#0d6efd", pointRadius: 2, fill: false, yAxisID: "rate" },
      ],
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      scales: {
        y: { beginAtZero: true, stacked: true },
        x: { stacked: true },
        rate: { position: "right", min: 0, max: 100, grid: { drawOnChartArea: false } },
      },
      plugins: { legend: { position: "bottom", labels: { boxWidth: 12 } } },
    },
  });
})();
