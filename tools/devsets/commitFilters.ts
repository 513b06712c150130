/** Which commits say where behaviour lives, and which of their files are code: shared by the dev benchmark's miner and the embedder's commit pairs. */
import { pathRole } from '../../src/engine/walk/fileKinds';

/** Extensions of code the gold may name: a commit's changed config, lock or data files are not what its subject asks for. */
const CODE_EXTENSIONS = new Set([
  'ts', 'tsx', 'mts', 'cts', 'js', 'jsx', 'mjs', 'cjs', 'py', 'go', 'rs', 'c', 'h', 'cc', 'cpp', 'cxx', 'hpp', 'hh', 'java', 'kt', 'kts',
  'scala', 'cs', 'rb', 'php', 'hs', 'lua', 'ex', 'exs', 'erl', 'swift', 'sh', 'bash', 'zsh', 'fish', 'vim', 'el', 'ml', 'vue', 'svelte',
]);
const MIN_WORDS = 4;
/** Release, merge, dependency and formatting commits say nothing about where behaviour lives. */
const NOISE = /^(merge|bump|release|prepare|version|v?\d+\.\d+|revert|wip\b|fixup!|squash!|chore\(deps|build\(deps|deps|update (changelog|readme|deps|dependencies|copyright)|format|reformat|lint|typo|cargo fmt|run (prettier|black|rustfmt|gofmt))/i;

/** A commit's subject without squash-merge numbers, one line. */
export function cleanSubject(subject: string): string {
  // Squash merges append "(#1234)"; the number is noise to a retriever.
  return subject.replace(/\s*\(#\d+\)\s*$/, '').replace(/\s+/g, ' ').trim();
}

/** Words a body needs to count as issue-like text. */
const MIN_BODY_WORDS = 30;

/** The body without trailers (Signed-off-by, Co-authored-by) and quoted markers, or null when short. */
export function cleanBody(body: string): string | null {
  const kept = body.split('\n').filter((l) => !/^\s*([\w-]+-by|Change-Id|Closes|Fixes|Refs|See):/i.test(l)).join('\n').trim();
  return kept.split(/\s+/).length >= MIN_BODY_WORDS ? kept.slice(0, 4000) : null;
}

/** A subject that says what changed (not a merge, release, bump or formatting commit), in enough words. */
export function isInformativeSubject(subject: string): boolean {
  return !NOISE.test(subject) && subject.split(' ').length >= MIN_WORDS;
}

export function isCodeFile(file: string): boolean {
  const dot = file.lastIndexOf('.');
  return dot > file.lastIndexOf('/') && CODE_EXTENSIONS.has(file.slice(dot + 1).toLowerCase()) && pathRole(file) === 'source';
}
