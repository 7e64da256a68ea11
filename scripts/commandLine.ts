/**
 * The scripts' `--name value` options. A flag given without its value is an error, not ignored: a
 * site running `npm run eval -- SET --cluster-floor` must not get the default and believe its floor.
 * (The synth scripts' `parseArgs` reads such a flag as the boolean "true" and refuses positional
 * arguments such as eval's dataset folder, so eval, bench and the trainers read options here.)
 */
export function optionIn(argv: readonly string[], name: string): string | undefined {
  const i = argv.indexOf(`--${name}`);
  if (i < 0) return undefined;
  const value = argv[i + 1];
  if (value === undefined || value.startsWith('--')) throw new Error(`--${name} needs a value`);
  return value;
}

/** The value of --name on this process's command line, or the fallback when the flag is absent. */
export function option(name: string): string | undefined;
export function option(name: string, fallback: string): string;
export function option(name: string, fallback?: string): string | undefined {
  return optionIn(process.argv, name) ?? fallback;
}

/** A numeric option's value: an error, naming the flag, when it is not a finite number. */
export function numberFrom(name: string, value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw new Error(`--${name} must be a number, not "${value}"`);
  return n;
}
