import type { Node } from 'web-tree-sitter';
import type { ChunkKind } from '../types';
import type { LanguageSpec } from './languages';
import { fillGaps, type ChunkLimits, type Rows, type Segment, windows } from './segments';

/** A node that is one unit of code, resolved through wrappers (`export`, decorators, templates). */
interface Unit {
  readonly kind: ChunkKind;
  readonly name: string;
  /** The definition itself: its signature, body and members. */
  readonly node: Node;
}

const FUNCTION_VALUES = new Set(['arrow_function', 'function_expression', 'function', 'generator_function', 'class']);

/**
 * How deep the chunker follows nesting (units inside units, wrappers, calls wrapping functions).
 * Real code nests a few dozen levels; generated or hostile files nest thousands, which would
 * overflow the stack. Deeper rows are left to the line windows that fill the gaps.
 */
export const MAX_NESTING = 128;
const MAX_WRAPPING = 8;

/** `f`, or a call wrapping a function: `_curry2(function add() {…})`, `memo(() => …)`, `forwardRef(…)`. */
function isFunctionValue(value: Node | null, depth = 0): boolean {
  if (value === null) return false;
  if (FUNCTION_VALUES.has(value.type)) return true;
  if (value.type !== 'call_expression' || depth >= MAX_WRAPPING) return false;
  const args = field(value, 'arguments');
  return args !== null && args.namedChildren.some((a) => a !== null && (FUNCTION_VALUES.has(a.type) || isFunctionValue(a, depth + 1)));
}

function endRow(node: Node): number {
  const { row, column } = node.endPosition;
  return column === 0 && row > node.startPosition.row ? row - 1 : row;
}

function field(node: Node, name: string): Node | null {
  return node.childForFieldName(name);
}

/** Name of the function a JS statement defines (`const f = () => …`, `a.b = function …`), or null. */
function functionValueName(node: Node): { name: string; kind: ChunkKind } | null {
  if (node.type === 'lexical_declaration' || node.type === 'variable_declaration') {
    for (const d of node.namedChildren) {
      const value = d === null ? null : field(d, 'value');
      if (d !== null && value !== null && isFunctionValue(value)) {
        return { name: field(d, 'name')?.text ?? '', kind: value.type === 'class' ? 'class' : 'function' };
      }
    }
    return null;
  }
  if (node.type === 'expression_statement') {
    const expr = node.namedChild(0);
    const right = expr?.type === 'assignment_expression' ? field(expr, 'right') : null;
    if (expr && right !== null && isFunctionValue(right)) return { name: field(expr, 'left')?.text ?? '', kind: 'function' };
    return null;
  }
  if (node.type === 'public_field_definition') {
    const value = field(node, 'value');
    return isFunctionValue(value) ? { name: field(node, 'name')?.text ?? '', kind: 'method' } : null;
  }
  return { name: '', kind: 'function' };
}

/** C/C++ declarators nest (pointer → function → qualified name); the innermost name is the symbol. */
function declaratorName(node: Node | null): string {
  let current = node;
  for (let depth = 0; current !== null && depth < 8; depth++) {
    if (['identifier', 'field_identifier', 'qualified_identifier', 'destructor_name', 'operator_name', 'type_identifier'].includes(current.type)) {
      return current.text;
    }
    current = field(current, 'declarator') ?? current.namedChild(0);
  }
  return '';
}

function unitName(node: Node): string {
  switch (node.type) {
    case 'function_definition':
      if (field(node, 'declarator') !== null) return declaratorName(field(node, 'declarator'));
      break;
    case 'impl_item': {
      const trait = field(node, 'trait')?.text;
      const type = field(node, 'type')?.text ?? '';
      return trait === undefined ? `impl ${type}` : `impl ${trait} for ${type}`;
    }
    case 'type_declaration':
      return node.namedChildren.map((c) => (c === null ? '' : field(c, 'name')?.text ?? '')).find((n) => n !== '') ?? '';
    default:
      break;
  }
  return field(node, 'name')?.text ?? '';
}

function resolveUnit(node: Node, spec: LanguageSpec, depth = 0): Unit | null {
  if (spec.wrappers.has(node.type)) {
    if (depth >= MAX_WRAPPING) return null;
    const inner = field(node, 'declaration') ?? field(node, 'definition');
    const candidates = inner === null ? node.namedChildren : [inner];
    for (const c of candidates) {
      const unit = c === null ? null : resolveUnit(c, spec, depth + 1);
      if (unit !== null) return unit.name === '' ? { ...unit, name: declaratorName(field(node, 'declarator')) } : unit;
    }
    return null;
  }
  const kind = spec.units[node.type];
  if (kind === undefined) return null;
  const fn = functionValueName(node);
  if (fn === null) return null;
  // A struct/class specifier without a body is a use or forward declaration, not a definition.
  if (/_specifier$/.test(node.type) && field(node, 'body') === null) return null;
  return { kind: fn.name === '' ? kind : fn.kind, name: fn.name === '' ? unitName(node) : fn.name, node };
}

function signatureOf(unit: Unit, source: string): string {
  const body = field(unit.node, 'body');
  const end = body !== null && body.startIndex > unit.node.startIndex ? body.startIndex : unit.node.endIndex;
  const text = source.slice(unit.node.startIndex, Math.min(end, unit.node.startIndex + 400));
  const firstLines = body === null ? (text.split('\n')[0] ?? '') : text;
  return firstLines.replace(/\s+/g, ' ').replace(/[\s{:(=>]+$/, '').trim().slice(0, 200);
}

interface Scope {
  readonly signatures: readonly string[];
  readonly names: readonly string[];
}

/** Thrown inside the chunker when its time is up; `chunkFile` turns it into a fallback. */
export class ChunkDeadline extends Error {}

export class TreeChunker {
  private steps = 0;

  constructor(
    private readonly spec: LanguageSpec,
    private readonly source: string,
    private readonly rows: Rows,
    private readonly limits: ChunkLimits,
    /** `performance.now()` after which chunking gives up. */
    private readonly deadline = Infinity,
  ) {}

  /** Segments for a whole tree: units, split big units, and the code between them. */
  chunkRoot(root: Node): Segment[] {
    const units = this.collect(root, { signatures: [], names: [] }, 0);
    const gaps = fillGaps(units, 0, this.rows.length - 1, this.rows, this.limits, (from, to) => ({
      start: from, end: to, kind: 'block', symbols: [], scopes: [], signature: '',
    }));
    return [...units, ...gaps];
  }

  /**
   * The innermost unit containing `row` (0-based), however small or nested — a method of a class
   * small enough to be one chunk included: what Write Docstring documents. Null outside any unit.
   */
  innermostAt(node: Node, row: number, scope: Scope = { signatures: [], names: [] }, depth = 0): Segment | null {
    if (depth >= MAX_NESTING) return null;
    for (const { child, attached } of this.withLeading(node)) {
      if (row < attached || row > endRow(child)) continue;
      const unit = this.spec.transparent.has(child.type) ? null : resolveUnit(child, this.spec);
      if (unit === null) return this.innermostAt(child, row, scope, depth + 1);
      const signature = signatureOf(unit, this.source);
      const inner: Scope = { signatures: [...scope.signatures, signature], names: unit.name === '' ? scope.names : [...scope.names, unit.name] };
      const symbol = [...scope.names, unit.name].filter((n) => n !== '').join('.');
      return (
        this.innermostAt(field(unit.node, 'body') ?? unit.node, row, inner, depth + 1) ??
        { start: attached, end: endRow(child), kind: unit.kind, symbols: [symbol], scopes: scope.signatures, signature }
      );
    }
    return null;
  }

  /** `node`'s named children but the leading ones (comments, decorators), each with the row its leading run starts at. */
  private *withLeading(node: Node): Generator<{ child: Node; attached: number }> {
    let leadStart: number | null = null;
    let leadEnd = -1;
    for (const child of node.namedChildren) {
      if (child === null) continue;
      const start = child.startPosition.row;
      if (this.spec.leading.has(child.type)) {
        if (leadStart === null || start > leadEnd + 1) leadStart = start;
        leadEnd = endRow(child);
        continue;
      }
      yield { child, attached: leadStart !== null && start <= leadEnd + 1 ? leadStart : start };
      leadStart = null;
    }
  }

  private fits(start: number, end: number): boolean {
    return end - start + 1 <= this.limits.maxLines && this.rows.charsIn(start, end) <= this.limits.maxChars;
  }

  private checkDeadline(): void {
    // performance.now() is cheap but not free; a node visit is far cheaper still.
    if (++this.steps % 256 === 0 && performance.now() > this.deadline) throw new ChunkDeadline();
  }

  /** Units among `node`'s children (descending into anything too big to be one chunk). */
  private collect(node: Node, scope: Scope, depth: number): Segment[] {
    if (depth >= MAX_NESTING) return [];
    const out: Segment[] = [];
    for (const { child, attached } of this.withLeading(node)) {
      this.checkDeadline();
      if (this.spec.transparent.has(child.type)) {
        pushAll(out, this.collect(child, scope, depth + 1));
        continue;
      }
      const unit = resolveUnit(child, this.spec);
      if (unit !== null) pushAll(out, this.emitUnit(unit, attached, endRow(child), scope, depth));
      else if (!this.fits(child.startPosition.row, endRow(child))) pushAll(out, this.collect(child, scope, depth + 1));
    }
    return out;
  }

  private emitUnit(unit: Unit, start: number, end: number, scope: Scope, depth: number): Segment[] {
    const signature = signatureOf(unit, this.source);
    const symbol = [...scope.names, unit.name].filter((n) => n !== '').join('.');
    const make = (from: number, to: number): Segment => ({
      start: from, end: to, kind: unit.kind, symbols: [symbol], scopes: scope.signatures, signature,
    });
    if (this.fits(start, end)) return [make(start, end)];
    // Too big: its members become chunks of their own (with this unit as their scope), and
    // whatever lies between them (a class header, fields, straight-line code) is windowed.
    const inner: Scope = {
      signatures: [...scope.signatures, signature],
      names: unit.name === '' ? scope.names : [...scope.names, unit.name],
    };
    const members = this.collect(field(unit.node, 'body') ?? unit.node, inner, depth + 1);
    const rest = fillGaps(members, start, end, this.rows, this.limits, make);
    if (members.length === 0 && rest.length === 0) return windows(start, end, this.limits, this.rows).map(([a, b]) => make(a, b));
    return [...members, ...rest];
  }
}

/** `out.push(...items)` passes every item as an argument, which overflows the stack for very long lists. */
function pushAll<T>(out: T[], items: readonly T[]): void {
  for (const item of items) out.push(item);
}
