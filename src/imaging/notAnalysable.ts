/**
 * Why an image cannot be analysed. The imaging stage never throws for bad input: it returns this, and
 * the pipeline records the reason in ImageFindings.failureReason.
 */
export interface NotAnalysable {
  ok: false;
  /** Always "not analysable: <reason>". */
  reason: string;
}

export function notAnalysable(reason: string): NotAnalysable {
  return { ok: false, reason: reason.startsWith('not analysable: ') ? reason : `not analysable: ${reason}` };
}

export function isNotAnalysable(x: unknown): x is NotAnalysable {
  return (
    typeof x === 'object' &&
    x !== null &&
    (x as { ok?: unknown }).ok === false &&
    typeof (x as NotAnalysable).reason === 'string'
  );
}
