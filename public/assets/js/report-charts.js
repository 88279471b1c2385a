import { formatCount, formatRate } from './format.js';

const charts = new Map();

function draw(canvas, config) {
  const chart = charts.get(canvas.id);
  if (chart) {
    chart.data = config.data;
    chart.update();
    return chart;
  }
  const made = new window.Chart(canvas, config);
  charts.set(canvas.id, made);
  return made;
}

const label = (p) => p ?? 'no platform';

/** Views per platform as bars; the tooltip has the platform's rate and creators. */
export function drawPlatforms(canvas, byPlatform) {
  const accent = getComputedStyle(document.documentElement).getPropertyValue('--accent').trim() || '#3358d4';
  return draw(canvas, {
    type: 'bar',
    data: {
      labels: byPlatform.map((p) => label(p.platform)),
      datasets: [{ label: 'Views', data: byPlatform.map((p) => p.views), backgroundColor: accent, platforms: byPlatform }],
    },
    options: {
      maintainAspectRatio: false,
      animation: false,
      plugins: {
        legend: { display: false },
        tooltip: {
          callbacks: {
            label: (item) => {
              const p = item.dataset.platforms[item.dataIndex];
              return [
                `Views ${formatCount(p.views)} · Posts ${formatCount(p.posts)}`,
                `Engagement ${formatRate(p.engagementRate)} · Creators ${formatCount(p.creators)}`,
              ];
            },
          },
        },
      },
      scales: { y: { beginAtZero: true, title: { display: true, text: 'Views' } } },
    },
  });
}

/** The engagement rate per period as a line; the tooltip has its posts and views. */
export function drawSeries(canvas, series) {
  const accent = getComputedStyle(document.documentElement).getPropertyValue('--accent').trim() || '#3358d4';
  return draw(canvas, {
    type: 'line',
    data: {
      labels: series.map((s) => s.period),
      datasets: [
        { label: 'Engagement rate (%)', data: series.map((s) => s.engagementRate * 100), borderColor: accent, pointRadius: 2, series },
      ],
    },
    options: {
      maintainAspectRatio: false,
      animation: false,
      plugins: {
        legend: { display: false },
        tooltip: {
          callbacks: {
            label: (item) => {
              const s = item.dataset.series[item.dataIndex];
              return [`Engagement ${formatRate(s.engagementRate)}`, `Posts ${formatCount(s.posts)} · Views ${formatCount(s.views)}`];
            },
          },
        },
      },
      scales: { y: { beginAtZero: true, title: { display: true, text: 'Engagement rate (%)' } } },
    },
  });
}
