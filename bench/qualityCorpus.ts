import type { PinnedPackage } from '../tools/npmCorpus';

/** The dev corpus for `npm run bench:quality`: real sources, pinned, none of them trained on. */
export const QUALITY_PACKAGES: readonly PinnedPackage[] = [
  // lodash.js and core.js bundle every module again, doc comments included: a blanked doc would
  // still be found verbatim in them, so they are left out.
  { name: 'lodash', version: '4.17.21', folders: ['.'], exclude: ['lodash.js', 'core.js', 'fp'] },
  { name: 'rxjs', version: '7.8.2', folders: ['src'] },
  { name: 'three', version: '0.170.0', folders: ['src'] },
];

/**
 * commit → files needs history, and no pinned repository with history is obtainable here but this
 * one. Its own history is pinned at the last commit of session 2 (its 33 cases), so later commits —
 * many of them about this very benchmark — cannot move the dev numbers; the same eval at HEAD is
 * reported beside it to show the drift.
 */
export const SELF_HISTORY_PIN = 'a95f6858e816d6f77073c55399ea2dc20b4db2fe';
