/**
 * The little of ONNX's protobuf that a static model's graph needs read: its nodes (op, inputs,
 * outputs, integer attributes) and its initializers' raw data, located by byte offset in the file.
 * Wire format: varint keys (field << 3 | type); types 0 varint, 1 fixed64, 2 length-delimited, 5 fixed32.
 * Read through a ByteSource, so a file's structure is read without the tensors it skips.
 */
import { readSync } from 'node:fs';

/** Bytes by position: an array in memory, or a file read a page at a time as positions are asked for. */
export interface ByteSource {
  readonly length: number;
  byte(pos: number): number | undefined;
  slice(start: number, end: number): Uint8Array;
}

export function bytesOf(bytes: Uint8Array): ByteSource {
  return { length: bytes.length, byte: (pos) => bytes[pos], slice: (start, end) => bytes.subarray(start, end) };
}

const PAGE = 64 * 1024;

/**
 * An open file's bytes, read in 64 KB pages on first use and kept: a static model's structure and
 * weights are a few hundred KB of a 26 MB file whose table is read a row at a time, if at all.
 */
export class FileBytes implements ByteSource {
  private readonly pages = new Map<number, Uint8Array>();

  constructor(private readonly fd: number, readonly length: number) {}

  private page(index: number): Uint8Array {
    let page = this.pages.get(index);
    if (page === undefined) {
      page = new Uint8Array(Math.min(PAGE, this.length - index * PAGE));
      readSync(this.fd, page, 0, page.length, index * PAGE);
      this.pages.set(index, page);
    }
    return page;
  }

  byte(pos: number): number | undefined {
    return pos < 0 || pos >= this.length ? undefined : this.page(Math.floor(pos / PAGE))[pos % PAGE];
  }

  slice(start: number, end: number): Uint8Array {
    const out = new Uint8Array(Math.max(0, Math.min(end, this.length) - start));
    for (let at = 0; at < out.length;) {
      const pos = start + at;
      const page = this.page(Math.floor(pos / PAGE));
      const part = page.subarray(pos % PAGE, Math.min(page.length, (pos % PAGE) + out.length - at));
      out.set(part, at);
      at += part.length;
    }
    return out;
  }
}
export interface OnnxNode {
  readonly op: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  /** Integer attributes (`axis`, `to`, `keepdims`). */
  readonly attributes: ReadonlyMap<string, number>;
}

export interface OnnxInitializer {
  readonly dims: readonly number[];
  /** TensorProto.DataType: 1 float, 3 int8, 7 int64. */
  readonly dataType: number;
  /** Where its raw_data starts in the file, and how long it is. */
  readonly offset: number;
  readonly length: number;
}

export interface OnnxGraph {
  readonly nodes: readonly OnnxNode[];
  readonly initializers: ReadonlyMap<string, OnnxInitializer>;
}

interface Field {
  readonly field: number;
  readonly type: number;
  /** A varint's value, or a length-delimited field's start and end. */
  readonly value: number;
  readonly start: number;
  readonly end: number;
}

class Reader {
  constructor(private readonly bytes: ByteSource, private pos: number, private readonly end: number) {}

  private varint(): number {
    let value = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      const b = this.bytes.byte(this.pos++);
      if (b === undefined) throw new Error('truncated varint');
      value += (b & 0x7f) * scale;
      if ((b & 0x80) === 0) return value;
      scale *= 128;
    }
    throw new Error('varint too long');
  }

  *fields(): Generator<Field> {
    while (this.pos < this.end) {
      const key = this.varint();
      const field = Math.floor(key / 8);
      const type = key & 7;
      if (type === 0) {
        yield { field, type, value: this.varint(), start: 0, end: 0 };
      } else if (type === 2) {
        const length = this.varint();
        const start = this.pos;
        this.pos += length;
        if (this.pos > this.end) throw new Error('field runs past its message');
        yield { field, type, value: length, start, end: this.pos };
      } else if (type === 1 || type === 5) {
        this.pos += type === 1 ? 8 : 4;
        yield { field, type, value: 0, start: 0, end: 0 };
      } else {
        throw new Error(`unsupported wire type ${type}`);
      }
    }
  }

  static packedVarints(bytes: ByteSource, start: number, end: number): number[] {
    const r = new Reader(bytes, start, end);
    const out: number[] = [];
    while (r.pos < end) out.push(r.varint());
    return out;
  }
}

const text = (bytes: ByteSource, f: Field): string => Buffer.from(bytes.slice(f.start, f.end)).toString('utf8');

function readNode(bytes: ByteSource, start: number, end: number): OnnxNode {
  const inputs: string[] = [];
  const outputs: string[] = [];
  const attributes = new Map<string, number>();
  let op = '';
  for (const f of new Reader(bytes, start, end).fields()) {
    if (f.field === 1 && f.type === 2) inputs.push(text(bytes, f));
    else if (f.field === 2 && f.type === 2) outputs.push(text(bytes, f));
    else if (f.field === 4 && f.type === 2) op = text(bytes, f);
    else if (f.field === 5 && f.type === 2) {
      let name = '';
      let value: number | null = null;
      for (const a of new Reader(bytes, f.start, f.end).fields()) {
        if (a.field === 1 && a.type === 2) name = text(bytes, a);
        else if (a.field === 3 && a.type === 0) value = a.value;
      }
      if (value !== null) attributes.set(name, value);
    }
  }
  return { op, inputs, outputs, attributes };
}

function readTensor(bytes: ByteSource, start: number, end: number): { name: string; tensor: OnnxInitializer } {
  const dims: number[] = [];
  let dataType = 0;
  let name = '';
  let offset = -1;
  let length = 0;
  for (const f of new Reader(bytes, start, end).fields()) {
    if (f.field === 1 && f.type === 0) dims.push(f.value);
    else if (f.field === 1 && f.type === 2) dims.push(...Reader.packedVarints(bytes, f.start, f.end));
    else if (f.field === 2 && f.type === 0) dataType = f.value;
    else if (f.field === 8 && f.type === 2) name = text(bytes, f);
    else if (f.field === 9 && f.type === 2) {
      offset = f.start;
      length = f.end - f.start;
    }
  }
  return { name, tensor: { dims, dataType, offset, length } };
}

/** The graph of an ONNX model file's bytes; throws on anything it cannot read. */
export function readOnnxGraph(bytes: ByteSource): OnnxGraph {
  const nodes: OnnxNode[] = [];
  const initializers = new Map<string, OnnxInitializer>();
  for (const top of new Reader(bytes, 0, bytes.length).fields()) {
    if (top.field !== 7 || top.type !== 2) continue;
    for (const f of new Reader(bytes, top.start, top.end).fields()) {
      if (f.field === 1 && f.type === 2) nodes.push(readNode(bytes, f.start, f.end));
      else if (f.field === 5 && f.type === 2) {
        const { name, tensor } = readTensor(bytes, f.start, f.end);
        if (tensor.offset >= 0) initializers.set(name, tensor);
      }
    }
  }
  return { nodes, initializers };
}
