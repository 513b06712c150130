import type { IndexProgress } from '../engine/indexer';

/**
 * A one-line progress bar on stderr when it is a TTY; null otherwise (logs and pipes stay clean, and
 * the run skips the count that gives a bar its total).
 */
export function progressPrinter(stream: NodeJS.WriteStream): { update: (p: IndexProgress) => void; end: () => void } | null {
  if (!stream.isTTY) return null;
  let last = 0;
  let drawn = false;
  const width = Math.max(20, Math.min(40, (stream.columns || 80) - 60));
  const update = (p: IndexProgress): void => {
    const now = Date.now();
    if (now - last < 80 && p.phase !== 'done') return;
    last = now;
    let line: string;
    if (p.phase === 'walking') line = `finding files… ${p.filesDone.toLocaleString('en-US')}`;
    else if (p.phase === 'done') line = '';
    else {
      const total = Math.max(1, p.filesTotal);
      const filled = Math.round((Math.min(p.filesDone, total) / total) * width);
      const label = p.phase === 'embedding' ? 'embedding' : 'indexing';
      line = `${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${p.filesDone.toLocaleString('en-US')}/${p.filesTotal.toLocaleString('en-US')} ${p.currentPath}`;
    }
    stream.write(`\r\x1b[2K${line.slice(0, (stream.columns || 80) - 1)}`);
    drawn = true;
  };
  return {
    update,
    end: () => {
      if (drawn) stream.write('\r\x1b[2K');
    },
  };
}
