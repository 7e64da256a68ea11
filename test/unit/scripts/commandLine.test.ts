import { numberFrom, optionIn } from '../../../scripts/commandLine';
import { parameterOverrides } from '../../../scripts/eval/speckExtractionOverrides';

describe("the scripts' command-line options", () => {
  const argv = ['node', 'evaluate.ts', '/data/set', '--cluster-floor', '0.2', '--json', 'out.json', '--svg'];

  it('gives the value after the flag, and undefined when the flag is absent', () => {
    expect(optionIn(argv, 'cluster-floor')).toBe('0.2');
    expect(optionIn(argv, 'json')).toBe('out.json');
    expect(optionIn(argv, 'limit')).toBeUndefined();
  });

  it('refuses a flag without its value, at the end or followed by another flag', () => {
    expect(() => optionIn(argv, 'svg')).toThrow('--svg needs a value');
    expect(() => optionIn(['--config', '--json', 'x'], 'config')).toThrow('--config needs a value');
  });

  it('refuses a number that is not one, naming the flag', () => {
    expect(numberFrom('link-mm', '4.5')).toBe(4.5);
    expect(numberFrom('split-dip', '-1')).toBe(-1);
    expect(() => numberFrom('cluster-floor', '0,2')).toThrow('--cluster-floor must be a number, not "0,2"');
    expect(() => numberFrom('cluster-floor', '')).toThrow(/must be a number/);
    expect(() => numberFrom('link-mm', 'Infinity')).toThrow(/must be a number/);
  });

  it('post-processing overrides: a typo in a value stops the run instead of becoming NaN', () => {
    const given = (values: Record<string, string>) => (name: string) => values[name];
    expect(parameterOverrides(given({ 'cluster-floor': '0.25' }), { 'cluster-floor': 'clusterFloor' })).toEqual({ clusterFloor: 0.25 });
    expect(parameterOverrides(given({}), { 'cluster-floor': 'clusterFloor' })).toEqual({});
    expect(() => parameterOverrides(given({ 'cluster-floor': 'low' }), { 'cluster-floor': 'clusterFloor' })).toThrow(
      '--cluster-floor must be a number, not "low"',
    );
  });
});
