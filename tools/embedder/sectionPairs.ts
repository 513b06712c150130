/**
 * README and docs section → the code it describes: a Markdown section that names (in backticks) an
 * identifier defined by exactly one unit of the same package is paired with that unit. The query is
 * the section's heading and prose, code blocks and inline code removed — what a user who read the
 * docs, not the code, would ask.
 */
import type { Unit } from './units';

export interface SectionPair {
  readonly query: string;
  readonly unit: Unit;
}

const MIN_PROSE_WORDS = 8;
const MAX_QUERY_WORDS = 60;
/** A section naming more identifiers than this is a reference table, not a description of one thing. */
const MAX_NAMED = 6;

interface Section {
  readonly heading: string;
  readonly body: string;
}

function sectionsOf(markdown: string): Section[] {
  const out: Section[] = [];
  let heading = '';
  let body: string[] = [];
  let fenced = false;
  const flush = (): void => {
    if (body.length > 0) out.push({ heading, body: body.join('\n') });
    body = [];
  };
  for (const line of markdown.split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) {
      fenced = !fenced;
      continue;
    }
    const h = fenced ? null : /^#{1,6}\s+(.*)$/.exec(line);
    if (h !== null) {
      flush();
      heading = (h[1] ?? '').replace(/[`*_]/g, '').trim();
    } else if (!fenced) {
      body.push(line);
    }
  }
  flush();
  return out;
}

/** Identifiers named in backticks: `parseQuery`, `Parser.parse()`, `--flag` is not one. */
function namedIdentifiers(text: string): string[] {
  const names = new Set<string>();
  for (const m of text.matchAll(/`([A-Za-z_][\w.:#]*?)(?:\(\))?`/g)) {
    const last = (m[1] ?? '').split(/[.:#]+/).pop() ?? '';
    if (last.length >= 4) names.add(last);
  }
  return [...names];
}

function prose(text: string): string {
  return text.replace(/`[^`]*`/g, ' ').replace(/\[([^\]]*)\]\([^)]*\)/g, '$1').replace(/<[^>]+>/g, ' ').replace(/[#>*_|]/g, ' ').replace(/\s+/g, ' ').trim();
}

/** Pairs from the Markdown files of a package, given its units indexed by defined name. */
export function sectionPairs(markdownFiles: readonly string[], unitsByName: ReadonlyMap<string, readonly Unit[]>): SectionPair[] {
  const pairs: SectionPair[] = [];
  for (const markdown of markdownFiles) {
    for (const section of sectionsOf(markdown)) {
      const named = namedIdentifiers(`${section.heading}\n${section.body}`);
      if (named.length === 0 || named.length > MAX_NAMED) continue;
      const text = prose(section.body);
      if (text.split(' ').length < MIN_PROSE_WORDS) continue;
      const query = `${section.heading} ${text}`.split(' ').slice(0, MAX_QUERY_WORDS).join(' ');
      for (const name of named) {
        const definers = unitsByName.get(name) ?? [];
        const unit = definers[0];
        if (definers.length === 1 && unit !== undefined) pairs.push({ query, unit });
      }
    }
  }
  return pairs;
}
