import type { AnswerWire } from '../shared/types';

export interface GroundingSummary {
  readonly text: string;
  /** Every claim cites lines that exist as quoted. */
  readonly good: boolean;
  readonly tooltip: string;
}

/**
 * What was checked, said as it is: that cited lines exist as quoted — not that they prove the claim.
 * Drafts (a docstring, a commit message) make no claims and get no line; an answer that cites
 * nothing is never called grounded.
 */
export function groundingSummary(a: AnswerWire): GroundingSummary | null {
  if (a.kind.type !== 'ask') return null;
  const exist = a.citations.filter((c) => c.status === 'ok' || c.status === 'moved').length;
  const claims = a.claims;
  let text: string;
  let good: boolean;
  if (claims === undefined) {
    text = `${exist} of ${a.citations.length} citations point at lines that exist as quoted`;
    good = exist > 0 && exist === a.citations.length;
  } else if (claims.total === 0) {
    text = exist === 0 ? 'No claim cites a source: check it against the sources below' : `${exist} ${exist === 1 ? 'citation points' : 'citations point'} at lines that exist as quoted`;
    good = false;
  } else {
    text = `${claims.cited} of ${claims.total} ${claims.total === 1 ? 'claim cites' : 'claims cite'} lines that exist as quoted`;
    good = claims.cited === claims.total;
  }
  const unsupported = a.unsupported.length === 0 ? '' : `\n\nWithout a citation that checks out:\n${a.unsupported.join('\n')}`;
  const tooltip = `Checked: each citation names lines that exist in the file now with the text that was given to the model. Whether those lines support the claim is not checked.${unsupported}`;
  return { text, good, tooltip };
}
