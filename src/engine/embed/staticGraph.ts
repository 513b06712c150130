import { closeSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import { bytesOf, FileBytes, readOnnxGraph, type ByteSource, type OnnxGraph, type OnnxInitializer, type OnnxNode } from './onnxProto';

/**
 * The built-in model's graph evaluated directly, for a query or two: a weighted sum of int8 table
 * rows, L2-normalised — the same arithmetic as onnxruntime's run of model.onnx, without loading the
 * runtime and a session (~90 ms of a CLI search's start) for a handful of table rows. Only the graph
 * tools/embedder/train.py exports is recognised, node for node; any other graph runs in onnxruntime.
 * For a few texts, rows are read from the file as needed (nothing but the per-token weights stays in
 * memory); for documents in bulk the table is held (`resident`: 26 MB, where an onnxruntime session
 * cost ~190 MB and ran on one thread), so the indexing workers embed what they chunk.
 */
const EXPECTED_NODES = [
  'Gather(table,ids)->rows8 axis=0',
  'Cast(rows8)->rows to=1',
  'Gather(weights,ids)->w axis=0',
  'Mul(w,tf)->s',
  'Unsqueeze(s,axis2)->s3',
  'Mul(rows,s3)->weighted',
  'ReduceSum(weighted,axis1)->sum keepdims=0',
  'Mul(sum,sum)->sq',
  'ReduceSum(sq,axis1)->sqsum keepdims=1',
  'Sqrt(sqsum)->norm',
  'Max(norm,eps)->safe',
  'Div(sum,safe)->embedding',
];
const FLOAT = 1;
const INT8 = 3;
const INT64 = 7;

function signature(node: OnnxNode): string {
  const attributes = [...node.attributes].sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => ` ${k}=${v}`).join('');
  return `${node.op}(${node.inputs.join(',')})->${node.outputs.join(',')}${attributes}`;
}

function int64At(bytes: ByteSource, t: OnnxInitializer | undefined): number | null {
  if (t === undefined || t.dataType !== INT64 || t.length !== 8) return null;
  return Number(Buffer.from(bytes.slice(t.offset, t.offset + 8)).readBigInt64LE(0));
}

function floatsOf(bytes: ByteSource, t: OnnxInitializer): Float32Array {
  // A copy: the file's bytes are let go, and raw_data need not be 4-byte aligned.
  return new Float32Array(Uint8Array.from(bytes.slice(t.offset, t.offset + t.length)).buffer);
}

/** The table's place in the file and the weights, when `graph` is exactly the static model's. */
function recognise(graph: OnnxGraph, bytes: ByteSource, dims: number): { table: OnnxInitializer; weights: Float32Array; eps: number } | null {
  if (graph.nodes.length !== EXPECTED_NODES.length || graph.nodes.some((n, i) => signature(n) !== EXPECTED_NODES[i])) return null;
  const table = graph.initializers.get('table');
  const weights = graph.initializers.get('weights');
  const eps = graph.initializers.get('eps');
  if (table?.dataType !== INT8 || table.dims.length !== 2 || table.dims[1] !== dims) return null;
  const vocabulary = table.dims[0] ?? 0;
  if (table.length !== vocabulary * dims) return null;
  if (weights?.dataType !== FLOAT || weights.dims.length !== 1 || weights.dims[0] !== vocabulary || weights.length !== vocabulary * 4) return null;
  if (eps?.dataType !== FLOAT || eps.length !== 4) return null;
  if (int64At(bytes, graph.initializers.get('axis1')) !== 1 || int64At(bytes, graph.initializers.get('axis2')) !== 2) return null;
  return { table, weights: floatsOf(bytes, weights), eps: floatsOf(bytes, eps)[0] ?? 0 };
}

export class StaticGraph {
  private fd: number | null;

  private constructor(
    private readonly file: string,
    private readonly dims: number,
    private readonly tableOffset: number,
    private readonly weights: Float32Array,
    private readonly eps: number,
    /** The whole table when resident, else null (rows read from the file). */
    private readonly table: Int8Array | null,
    fd: number | null,
  ) {
    this.fd = fd;
  }

  /**
   * The evaluator for `file`, or null when its graph is not the static model's (or unreadable).
   * `resident` holds the table: in memory shared between threads when `shared` (the indexing
   * workers embed from one copy), or the table another thread shared, when given one.
   */
  static open(file: string, dims: number, options: { resident?: boolean; shared?: boolean; table?: SharedArrayBuffer } = {}): StaticGraph | null {
    if (options.table !== undefined) return StaticGraph.openByRows(file, dims, options.table);
    return options.resident === true ? StaticGraph.openResident(file, dims, options.shared === true) : StaticGraph.openByRows(file, dims);
  }

  /** The table this graph holds, when it holds it in shared memory (for another thread's open()). */
  sharedTable(): SharedArrayBuffer | null {
    return this.table !== null && this.table.buffer instanceof SharedArrayBuffer ? this.table.buffer : null;
  }

  private static openResident(file: string, dims: number, shared: boolean): StaticGraph | null {
    try {
      const bytes = readFileSync(file);
      const source = bytesOf(bytes);
      const found = recognise(readOnnxGraph(source), source, dims);
      if (found === null) return null;
      const { offset, length } = found.table;
      // A copy of the table alone, so the rest of the file's bytes are let go.
      const table = new Int8Array(shared ? new SharedArrayBuffer(length) : new ArrayBuffer(length));
      table.set(new Int8Array(bytes.buffer, bytes.byteOffset + offset, length));
      return new StaticGraph(file, dims, offset, found.weights, found.eps, table, null);
    } catch {
      return null;
    }
  }

  /**
   * Only the graph's structure and weights are read (a CLI search used to read the whole 26 MB file
   * for a few rows); the table is then another thread's shared copy, or read a row at a time.
   */
  private static openByRows(file: string, dims: number, shared?: SharedArrayBuffer): StaticGraph | null {
    let fd: number | null = null;
    try {
      fd = openSync(file, 'r');
      const source = new FileBytes(fd, fstatSync(fd).size);
      const found = recognise(readOnnxGraph(source), source, dims);
      if (found === null || (shared !== undefined && shared.byteLength !== found.table.length)) {
        closeSync(fd);
        return null;
      }
      if (shared === undefined) return new StaticGraph(file, dims, found.table.offset, found.weights, found.eps, null, fd);
      closeSync(fd);
      return new StaticGraph(file, dims, found.table.offset, found.weights, found.eps, new Int8Array(shared), null);
    } catch {
      if (fd !== null) closeSync(fd);
      return null;
    }
  }

  /** One bag of (token id, count) as the graph embeds it: Σ weight·log1p(count)·row, over its norm. */
  embed(bag: ReadonlyArray<readonly [number, number]>): Float32Array {
    // Float32 at each step, as the graph computes: a Float32Array rounds every sum it stores.
    const sum = new Float32Array(this.dims);
    const row = new Int8Array(this.table === null ? this.dims : 0);
    for (const [id, count] of bag) {
      const w = this.weights[id];
      if (w === undefined) continue;
      const s = Math.fround(w * Math.fround(Math.log1p(count)));
      const values = this.table ?? this.readRow(id, row);
      const base = this.table === null ? 0 : id * this.dims;
      for (let d = 0; d < this.dims; d++) sum[d] = (sum[d] ?? 0) + Math.fround((values[base + d] ?? 0) * s);
    }
    let sq = 0;
    for (const x of sum) sq = Math.fround(sq + Math.fround(x * x));
    const norm = Math.max(Math.fround(Math.sqrt(sq)), this.eps);
    for (let d = 0; d < this.dims; d++) sum[d] = (sum[d] ?? 0) / norm;
    return sum;
  }

  private readRow(id: number, into: Int8Array): Int8Array {
    this.fd ??= openSync(this.file, 'r');
    readSync(this.fd, into, 0, this.dims, this.tableOffset + id * this.dims);
    return into;
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}
