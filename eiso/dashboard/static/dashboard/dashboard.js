// The overseer's dashboard charts (data from json_script elements named "chart-<name>"): bars
// by tier and QMS status, the year's obligations, the trends over the years. Readable on a
// phone: no animation, legend below, the canvas sized by its box.
(function () {
  "use strict";
  if (typeof Chart === "undefined") {
    return;
  }
  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    var source = document.getElementById("chart-" + canvas.dataset.chart);
    if (!source) {
      return;
    }
    var data = JSON.parse(source.textContent);
    var line = data.type === "line";
    var options = {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      indexAxis: data.horizontal ? "y" : "x",
      plugins: { legend: { position: "bottom", labels: { boxWidth: 12 } } },
      scales: {
        x: { stacked: !!data.stacked, beginAtZero: true, ticks: { precision: 0 } },
        y: { stacked: !!data.stacked, beginAtZero: true, ticks: { precision: 0 } },
      },
    };
    if (data.percent) {
      options.scales.y.max = 100;
    }
    new Chart(canvas, {
      type: data.type,
      data: {
        labels: data.labels,
        datasets: data.series.map(function (series) {
          return {
            label: series.label,
            data: series.data,
            backgroundColor: series.colour,
            borderColor: series.colour,
            spanGaps: true,
            fill: false,
            tension: line ? 0.2 : 0,
          };
        }),
      },
      options: options,
    });
  });
})();
