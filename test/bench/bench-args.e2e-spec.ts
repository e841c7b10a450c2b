import { parseArgs } from '../../bench/run';

/** Two bench runs at once, each on its own database, each with its own queues. */
describe('the bench options', () => {
  it('gives each bench database its own queue prefix', () => {
    const one = parseArgs(['--database', 'throughline_bench_one']);
    const other = parseArgs(['--database', 'throughline_bench_other']);
    expect(one.queuePrefix).not.toBe(other.queuePrefix);
    expect(one.queuePrefix).not.toBe(parseArgs([]).queuePrefix);
    expect(parseArgs([]).queuePrefix).toBe('throughline-bench');
  });
});
