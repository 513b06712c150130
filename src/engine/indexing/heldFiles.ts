import type { FileState } from '../store/indexStore';
import { POOL_MIN_FILES } from './preparePool';
import type { FileDecision } from './decide';
import type { WalkedFile } from './walkScope';

/** A walked file with what the run does with it. */
export interface Decided {
  readonly walkedFile: WalkedFile;
  readonly relPath: string;
  readonly state: FileState | undefined;
  readonly decision: FileDecision;
}

/**
 * Beyond this many held files the walk is long and its files to read sparse (a few changes spread
 * over a big tree): the choice is made on the share read so far rather than holding more.
 */
const HOLD_MAX = 20_000;

/**
 * The files of a streamed walk held back until the run knows whether a worker pool pays off, which
 * depends on how many files it will read. Files before the first to read pass straight through
 * (settling them needs no preparer); from the first on, files wait in walk order, since the index is
 * written in that order.
 */
export class HeldFiles {
  private files: Decided[] = [];
  /** Files to read among the held ones. */
  reads = 0;

  /** Holds `file` if it must wait for the choice (false: settle it now). */
  hold(file: Decided): boolean {
    if (file.decision.type !== 'read' && this.files.length === 0) return false;
    if (file.decision.type === 'read') this.reads++;
    this.files.push(file);
    return true;
  }

  /** Whether enough is known to choose: enough files to read for a pool, or held files enough to judge by. */
  get decisive(): boolean {
    return this.reads >= POOL_MIN_FILES || this.files.length >= HOLD_MAX;
  }

  /** The held files, in walk order, no longer held. */
  take(): Decided[] {
    const out = this.files;
    this.files = [];
    return out;
  }
}
