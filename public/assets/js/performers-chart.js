import { formatCount, formatRate } from './format.js';

let chart = null;

/** Horizontal bars (long creator ids stay readable on a phone) of the rate ranked by; the tooltip has the totals. */
export function drawPerformers(canvas, box, performers, rankBy = 'rate') {
  const rate = (p) => (rankBy === 'adjusted' ? p.adjustedRate : p.engagementRate);
  const css = getComputedStyle(document.documentElement);
  const bar = css.getPropertyValue('--accent').trim() || '#3358d4';
  const ink = css.getPropertyValue('--ink-soft').trim() || '#555';
  // Height follows the number of bars so that 100 creators are as readable as 5.
  box.style.height = `${Math.max(160, performers.length * 28 + 60)}px`;
  const data = {
    labels: performers.map((p) => p.influencerId),
    datasets: [
      {
        label: rankBy === 'adjusted' ? 'Adjusted rate' : 'Engagement rate',
        data: performers.map((p) => rate(p) * 100),
        backgroundColor: bar,
        borderRadius: 3,
        performers,
      },
    ],
  };
  if (chart) {
    chart.data = data;
    chart.options.scales.x.title.text = `${data.datasets[0].label} (%)`;
    chart.update();
    return chart;
  }
  chart = new window.Chart(canvas, {
    type: 'bar',
    data,
    options: {
      indexAxis: 'y',
      maintainAspectRatio: false,
      animation: { duration: 250 },
      plugins: {
        legend: { display: false },
        tooltip: {
          callbacks: {
            title: (items) => {
              const p = items[0].dataset.performers[items[0].dataIndex];
              return `#${p.rank} ${p.influencerId}`;
            },
            label: (item) => {
              const p = item.dataset.performers[item.dataIndex];
              return [
                `Engagement rate ${formatRate(p.engagementRate)} · adjusted ${formatRate(p.adjustedRate)}`,
                `Likes ${formatCount(p.likes)} · Comments ${formatCount(p.comments)} · Shares ${formatCount(p.shares)}`,
                `Views ${formatCount(p.views)} · Posts ${formatCount(p.posts)}`,
              ];
            },
          },
        },
      },
      scales: {
        x: { beginAtZero: true, title: { display: true, text: `${data.datasets[0].label} (%)`, color: ink }, ticks: { color: ink } },
        y: { ticks: { color: ink, autoSkip: false } },
      },
    },
  });
  return chart;
}
