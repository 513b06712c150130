/**
 * A minimal ONNX (protobuf) writer, enough for tests to build real model files themselves:
 * graphs of nodes with int/float attributes, float32/int64 initializers, typed inputs and outputs.
 * Field numbers follow onnx.proto (ModelProto, GraphProto, NodeProto, TensorProto, ValueInfoProto).
 */

class Writer {
  private readonly parts: Buffer[] = [];

  private varint(value: bigint): void {
    let v = BigInt.asUintN(64, value);
    const bytes: number[] = [];
    do {
      let byte = Number(v & 0x7fn);
      v >>= 7n;
      if (v !== 0n) byte |= 0x80;
      bytes.push(byte);
    } while (v !== 0n);
    this.parts.push(Buffer.from(bytes));
  }

  private key(field: number, wire: number): void {
    this.varint(BigInt((field << 3) | wire));
  }

  int(field: number, value: number | bigint): this {
    this.key(field, 0);
    this.varint(BigInt(value));
    return this;
  }

  float(field: number, value: number): this {
    this.key(field, 5);
    const b = Buffer.alloc(4);
    b.writeFloatLE(value);
    this.parts.push(b);
    return this;
  }

  bytes(field: number, value: Uint8Array): this {
    this.key(field, 2);
    this.varint(BigInt(value.length));
    this.parts.push(Buffer.from(value));
    return this;
  }

  string(field: number, value: string): this {
    return this.bytes(field, Buffer.from(value, 'utf8'));
  }

  message(field: number, build: (w: Writer) => void): this {
    const inner = new Writer();
    build(inner);
    return this.bytes(field, inner.done());
  }

  done(): Buffer {
    return Buffer.concat(this.parts);
  }
}

export const FLOAT = 1;
export const INT64 = 7;

export interface NodeSpec {
  readonly op: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly attributes?: Readonly<Record<string, number | readonly number[]>>;
  /** Attributes that must be floats even when integral (e.g. epsilon). */
  readonly floatAttributes?: Readonly<Record<string, number>>;
}

export interface TensorSpec {
  readonly name: string;
  readonly dims: readonly number[];
  readonly type: typeof FLOAT | typeof INT64;
  readonly data: Float32Array | BigInt64Array;
}

export interface ValueSpec {
  readonly name: string;
  readonly type: typeof FLOAT | typeof INT64;
  readonly shape: ReadonlyArray<number | string>;
}

function valueInfo(w: Writer, v: ValueSpec): void {
  w.string(1, v.name).message(2, (type) =>
    type.message(1, (tensor) => {
      tensor.int(1, v.type).message(2, (shape) => {
        for (const d of v.shape) shape.message(1, (dim) => (typeof d === 'number' ? dim.int(1, d) : dim.string(2, d)));
      });
    }),
  );
}

export function encodeModel(graph: { nodes: readonly NodeSpec[]; initializers: readonly TensorSpec[]; inputs: readonly ValueSpec[]; outputs: readonly ValueSpec[] }, opset: number): Buffer {
  const model = new Writer();
  model.int(1, 8).string(2, 'sourceline-tests');
  model.message(7, (g) => {
    graph.nodes.forEach((n, i) => {
      g.message(1, (node) => {
        for (const input of n.inputs) node.string(1, input);
        for (const output of n.outputs) node.string(2, output);
        node.string(3, `${n.op}_${i}`).string(4, n.op);
        for (const [name, value] of Object.entries(n.attributes ?? {})) {
          node.message(5, (a) => {
            a.string(1, name);
            // AttributeProto: i = 3 (type INT = 2), ints = 8 (type INTS = 7)
            if (typeof value === 'number') a.int(3, value).int(20, 2);
            else {
              for (const v of value) a.int(8, v);
              a.int(20, 7);
            }
          });
        }
        for (const [name, value] of Object.entries(n.floatAttributes ?? {})) {
          node.message(5, (a) => a.string(1, name).float(2, value).int(20, 1));
        }
      });
    });
    g.string(2, 'graph');
    for (const t of graph.initializers) {
      g.message(5, (tensor) => {
        for (const d of t.dims) tensor.int(1, d);
        tensor.int(2, t.type).string(8, t.name).bytes(9, new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength));
      });
    }
    for (const v of graph.inputs) g.message(11, (w) => valueInfo(w, v));
    for (const v of graph.outputs) g.message(12, (w) => valueInfo(w, v));
  });
  model.message(8, (o) => o.string(1, '').int(2, opset));
  return model.done();
}
