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

const accent = () => getComputedStyle(document.documentElement).getPropertyValue('--accent').trim() || '#3358d4';

/**
 * The one shape both report charts share: one dataset over `items`, no legend, no animation,
 * a y axis from zero titled `yTitle`, and a tooltip of `lines(item)` for the hovered item.
 */
function chartOf(type, items, { labels, values, yTitle, style, lines }) {
  return {
    type,
    data: { labels: items.map(labels), datasets: [{ label: yTitle, data: items.map(values), ...style, items }] },
    options: {
      maintainAspectRatio: false,
      animation: false,
      plugins: {
        legend: { display: false },
        tooltip: { callbacks: { label: (hovered) => lines(hovered.dataset.items[hovered.dataIndex]) } },
      },
      scales: { y: { beginAtZero: true, title: { display: true, text: yTitle } } },
    },
  };
}

/** Views per platform as bars; the tooltip has the platform's rate and creators. */
export function drawPlatforms(canvas, byPlatform) {
  return draw(
    canvas,
    chartOf('bar', byPlatform, {
      labels: (p) => label(p.platform),
      values: (p) => p.views,
      yTitle: 'Views',
      style: { backgroundColor: accent() },
      lines: (p) => [
        `Views ${formatCount(p.views)} · Posts ${formatCount(p.posts)}`,
        `Engagement ${formatRate(p.engagementRate)} · Creators ${formatCount(p.creators)}`,
      ],
    }),
  );
}

/** The engagement rate per period as a line; the tooltip has its posts and views. */
export function drawSeries(canvas, series) {
  return draw(
    canvas,
    chartOf('line', series, {
      labels: (s) => s.period,
      values: (s) => s.engagementRate * 100,
      yTitle: 'Engagement rate (%)',
      style: { borderColor: accent(), pointRadius: 2 },
      lines: (s) => [`Engagement ${formatRate(s.engagementRate)}`, `Posts ${formatCount(s.posts)} · Views ${formatCount(s.views)}`],
    }),
  );
}
