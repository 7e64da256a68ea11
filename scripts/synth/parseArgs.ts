/** Minimal `--name value` / `--flag` parsing shared by the synth scripts. */
export function parseArgs(argv: string[]): Map<string, string> {
  const args = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i];
    if (!token.startsWith('--')) throw new Error(`unexpected argument ${token}`);
    const next = argv[i + 1];
    if (next === undefined || next.startsWith('--')) {
      args.set(token.slice(2), 'true');
    } else {
      args.set(token.slice(2), next);
      i++;
    }
  }
  return args;
}

export function requireArg(args: Map<string, string>, name: string): string {
  const value = args.get(name);
  if (value === undefined) throw new Error(`--${name} is required`);
  return value;
}
