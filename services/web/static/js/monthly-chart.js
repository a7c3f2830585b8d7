// The monthly chart of a dyad or an actor: interactions per month (bars) and mean cooperation-conflict score (line).
const data = JSON.parse(document.getElementById("monthly-data").textContent);
const canvas = document.getElementById("monthly-chart");
const style = getComputedStyle(document.documentElement);
const coop = style.getPropertyValue("--coop").trim() || "#1a7f37";
const conf = style.getPropertyValue("--conf").trim() || "#c62828";

// eslint-disable-next-line no-undef
const chart = new Chart(canvas, {
  data: {
    labels: data.months,
    datasets: [
      {
        type: "bar",
        label: "Interactions",
        data: data.totals,
        yAxisID: "count",
        backgroundColor: "rgba(90, 110, 140, 0.35)",
        order: 2,
      },
      {
        type: "line",
        label: "Mean score",
        data: data.scores,
        yAxisID: "score",
        borderColor: "#333",
        pointRadius: 5,
        spanGaps: true,
        pointBackgroundColor: data.scores.map((s) => (s === null ? "transparent" : s > 0 ? coop : s < 0 ? conf : "#888")),
        order: 1,
      },
    ],
  },
  options: {
    animation: false,
    responsive: true,
    maintainAspectRatio: false,
    interaction: { mode: "index", intersect: false },
    scales: {
      count: { type: "linear", position: "left", beginAtZero: true, title: { display: true, text: "interactions" }, ticks: { precision: 0 } },
      score: { type: "linear", position: "right", min: -10, max: 10, title: { display: true, text: "score" }, grid: { drawOnChartArea: false } },
    },
  },
});
window.briefgraphChart = chart;
