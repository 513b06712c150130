import type { PinnedPackage } from '../tools/npmCorpus';

/** The dev corpus for `npm run bench:quality`: real sources, pinned, none of them trained on. */
export const QUALITY_PACKAGES: readonly PinnedPackage[] = [
  // lodash.js and core.js bundle every module again, doc comments included: a blanked doc would
  // still be found verbatim in them, so they are left out.
  { name: 'lodash', version: '4.17.21', folders: ['.'], exclude: ['lodash.js', 'core.js', 'fp'] },
  { name: 'rxjs', version: '7.8.2', folders: ['src'] },
  { name: 'three', version: '0.170.0', folders: ['src'] },
];
