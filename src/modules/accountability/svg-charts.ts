/**
 * Small bar and line charts drawn as SVG on the server: no script, no style attribute (the strict
 * CSP), colours from classes in accountability.css so print and screen agree. Each chart has a
 * title and a description for screen readers; the numbers themselves are in the table beneath.
 */

export interface ChartPoint {
  label: string;
  value: number | null;
}

export interface ChartSeries {
  name: string;
  points: ChartPoint[];
}

const WIDTH = 640;
const HEIGHT = 240;
const MARGIN = { top: 16, right: 16, bottom: 44, left: 56 };

function escape(text: string): string {
  // eslint-disable-next-line @typescript-eslint/no-non-null-assertion -- the pattern matches only these five characters
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** A "nice" top of the axis: 1, 2 or 5 times a power of ten at or above the largest value. */
export function niceMax(value: number): number {
  if (!(value > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}

const fmt = (value: number) => (Number.isInteger(value) ? String(value) : value.toFixed(1));

function frame(
  title: string,
  description: string,
  top: number,
  format: (value: number) => string,
  body: string,
  labels: string[],
  id: string,
): string {
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((fraction) => {
    const y = MARGIN.top + plotHeight * (1 - fraction);
    return `<line class="chart__grid" x1="${MARGIN.left}" x2="${MARGIN.left + plotWidth}" y1="${y}" y2="${y}"/><text class="chart__tick" x="${MARGIN.left - 6}" y="${y + 4}" text-anchor="end">${escape(format(top * fraction))}</text>`;
  });
  const step = plotWidth / Math.max(1, labels.length);
  // Every label when there is room, otherwise every other one.
  const every = labels.length > 8 ? 2 : 1;
  const xLabels = labels
    .map((label, i) => {
      if (i % every !== 0) return '';
      const x = MARGIN.left + step * (i + 0.5);
      // A label may have two lines ("Notice\nProbation"): the second in a tspan below the first.
      const lines = label.split('\n').map((line, n) => `<tspan x="${x}" dy="${n === 0 ? 0 : 13}">${escape(line)}</tspan>`);
      return `<text class="chart__label" x="${x}" y="${HEIGHT - MARGIN.bottom + 18}" text-anchor="middle">${lines.join('')}</text>`;
    })
    .join('');
  return (
    `<svg class="chart" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-labelledby="${id}-title ${id}-desc" xmlns="http://www.w3.org/2000/svg">` +
    `<title id="${id}-title">${escape(title)}</title><desc id="${id}-desc">${escape(description)}</desc>` +
    ticks.join('') +
    body +
    xLabels +
    `<line class="chart__axis" x1="${MARGIN.left}" x2="${MARGIN.left + plotWidth}" y1="${MARGIN.top + plotHeight}" y2="${MARGIN.top + plotHeight}"/></svg>`
  );
}

/** Vertical bars, one per point; a missing value leaves a gap, never a zero bar. */
export function barChart(options: {
  id: string;
  title: string;
  description: string;
  points: ChartPoint[];
  format?: (value: number) => string;
  max?: number;
}): string {
  const format = options.format ?? fmt;
  const top = options.max ?? niceMax(Math.max(0, ...options.points.map((point) => point.value ?? 0)));
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const step = (WIDTH - MARGIN.left - MARGIN.right) / Math.max(1, options.points.length);
  const bars = options.points
    .map((point, i) => {
      if (point.value === null) return '';
      const height = (plotHeight * Math.min(point.value, top)) / top;
      const x = MARGIN.left + step * i + step * 0.15;
      const y = MARGIN.top + plotHeight - height;
      return `<rect class="chart__bar" x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${(step * 0.7).toFixed(1)}" height="${height.toFixed(1)}"><title>${escape(`${point.label.replace('\n', ', ')}: ${format(point.value)}`)}</title></rect>`;
    })
    .join('');
  return frame(
    options.title,
    options.description,
    top,
    format,
    bars,
    options.points.map((point) => point.label),
    options.id,
  );
}

/** One line per series over shared labels, with a dot at each value and a legend; gaps where a value is missing. */
export function lineChart(options: {
  id: string;
  title: string;
  description: string;
  series: ChartSeries[];
  format?: (value: number) => string;
  max?: number;
}): string {
  const format = options.format ?? fmt;
  const labels = options.series[0]?.points.map((point) => point.label) ?? [];
  const top = options.max ?? niceMax(Math.max(0, ...options.series.flatMap((series) => series.points.map((point) => point.value ?? 0))));
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const step = (WIDTH - MARGIN.left - MARGIN.right) / Math.max(1, labels.length);
  const xy = (i: number, value: number) => [
    MARGIN.left + step * (i + 0.5),
    MARGIN.top + plotHeight - (plotHeight * Math.min(value, top)) / top,
  ];
  const lines = options.series
    .map((series, s) => {
      const runs: string[][] = [[]];
      const dots: string[] = [];
      series.points.forEach((point, i) => {
        if (point.value === null) {
          runs.push([]);
          return;
        }
        const [x, y] = xy(i, point.value);
        runs[runs.length - 1].push(`${x.toFixed(1)},${y.toFixed(1)}`);
        dots.push(
          `<circle class="chart__dot chart__series-${s}" cx="${x.toFixed(1)}" cy="${y.toFixed(1)}" r="3.5"><title>${escape(`${series.name}, ${point.label}: ${format(point.value)}`)}</title></circle>`,
        );
      });
      const paths = runs
        .filter((run) => run.length > 1)
        .map((run) => `<polyline class="chart__line chart__series-${s}" points="${run.join(' ')}"/>`);
      const legendX = MARGIN.left + s * 180;
      const legend = `<rect class="chart__swatch chart__series-${s}" x="${legendX}" y="${HEIGHT - 14}" width="12" height="4"/><text class="chart__legend" x="${legendX + 16}" y="${HEIGHT - 10}">${escape(series.name)}</text>`;
      return paths.join('') + dots.join('') + legend;
    })
    .join('');
  return frame(options.title, options.description, top, format, lines, labels, options.id);
}
