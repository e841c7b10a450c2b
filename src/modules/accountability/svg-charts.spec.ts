import { barChart, lineChart, niceMax } from './svg-charts';

describe('the SVG charts', () => {
  it('tops the axis at 1, 2 or 5 times a power of ten', () => {
    expect([niceMax(0), niceMax(3), niceMax(7), niceMax(12), niceMax(100), niceMax(0.3)]).toEqual([1, 5, 10, 20, 100, 0.5]);
  });

  it('draws one bar per value, none for a missing one, with a title and description for screen readers and no style attribute', () => {
    const svg = barChart({
      id: 'c',
      title: 'Court action <by court>',
      description: 'A: 50 %',
      points: [
        { label: 'A', value: 50 },
        { label: 'B', value: null },
        { label: 'C & D', value: 100 },
      ],
      max: 100,
    });
    expect(svg.match(/<rect class="chart__bar"/g)).toHaveLength(2);
    expect(svg).toContain('<title id="c-title">Court action &lt;by court&gt;</title>');
    expect(svg).toContain('aria-labelledby="c-title c-desc"');
    expect(svg).toContain('C &amp; D');
    expect(svg).not.toMatch(/style=|<script/);
    // The full bar reaches the top of the plot; half of it stands half as high.
    const heights = [...svg.matchAll(/height="([\d.]+)"><title>/g)].map((match) => Number(match[1]));
    expect(heights[1]).toBeCloseTo(2 * heights[0], 5);
  });

  it('draws a line per series, broken where a value is missing, with a legend', () => {
    const svg = lineChart({
      id: 'l',
      title: 'T',
      description: 'D',
      series: [
        {
          name: 'Court action',
          points: [
            { label: 'Jan', value: 10 },
            { label: 'Feb', value: 20 },
            { label: 'Mar', value: null },
            { label: 'Apr', value: 5 },
          ],
        },
      ],
    });
    expect(svg.match(/<polyline/g)).toHaveLength(1);
    expect(svg.match(/<circle/g)).toHaveLength(3);
    expect(svg).toContain('>Court action</text>');
  });
});
