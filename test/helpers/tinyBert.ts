import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { encodeModel, FLOAT, INT64, type NodeSpec, type TensorSpec } from './onnxWriter';

/**
 * A small random-weight BERT in the real Hugging Face ONNX layout (config.json, tokenizer.json,
 * tokenizer_config.json, onnx/model.onnx): word + position + token-type embeddings, LayerNorm, one
 * dense layer with GELU-free tanh, as BertModel's inputs and `last_hidden_state` output.
 */
export const TINY_VOCAB = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', 'parse', 'query', 'string', 'user', 'id', 'get', 'by', 'render', 'chart', 'legend', 'the', 'a', '##s', '##ing', 'http', 'response'];

function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32 - 0.5;
  };
}

function weights(name: string, dims: number[], rnd: () => number): TensorSpec {
  const n = dims.reduce((a, b) => a * b, 1);
  return { name, dims, type: FLOAT, data: Float32Array.from({ length: n }, () => rnd()) };
}

export function writeTinyBert(folder: string, options: { hidden?: number; maxLength?: number; pooling?: 'cls' | 'mean'; seed?: number } = {}): void {
  const hidden = options.hidden ?? 32;
  const maxLength = options.maxLength ?? 16;
  const rnd = random(options.seed ?? 42);
  const vocab = TINY_VOCAB;
  const nodes: NodeSpec[] = [
    { op: 'Gather', inputs: ['word_embeddings', 'input_ids'], outputs: ['words'], attributes: { axis: 0 } },
    { op: 'Gather', inputs: ['token_type_embeddings', 'token_type_ids'], outputs: ['types'], attributes: { axis: 0 } },
    // Positions 0..L-1 from the input's shape: Shape → Gather(1) → Range.
    { op: 'Shape', inputs: ['input_ids'], outputs: ['shape'] },
    { op: 'Gather', inputs: ['shape', 'one'], outputs: ['length'], attributes: { axis: 0 } },
    { op: 'Range', inputs: ['zero', 'length', 'one'], outputs: ['positions'] },
    { op: 'Gather', inputs: ['position_embeddings', 'positions'], outputs: ['pos'], attributes: { axis: 0 } },
    { op: 'Add', inputs: ['words', 'types'], outputs: ['wt'] },
    { op: 'Add', inputs: ['wt', 'pos'], outputs: ['embedded'] },
    { op: 'LayerNormalization', inputs: ['embedded', 'ln_gamma', 'ln_beta'], outputs: ['normed'], attributes: { axis: -1 }, floatAttributes: { epsilon: 1e-12 } },
    { op: 'MatMul', inputs: ['normed', 'dense_w'], outputs: ['projected'] },
    { op: 'Add', inputs: ['projected', 'dense_b'], outputs: ['biased'] },
    { op: 'Tanh', inputs: ['biased'], outputs: ['last_hidden_state'] },
  ];
  const initializers: TensorSpec[] = [
    weights('word_embeddings', [vocab.length, hidden], rnd),
    weights('token_type_embeddings', [2, hidden], rnd),
    weights('position_embeddings', [maxLength, hidden], rnd),
    { name: 'ln_gamma', dims: [hidden], type: FLOAT, data: new Float32Array(hidden).fill(1) },
    { name: 'ln_beta', dims: [hidden], type: FLOAT, data: new Float32Array(hidden) },
    weights('dense_w', [hidden, hidden], rnd),
    weights('dense_b', [hidden], rnd),
    { name: 'zero', dims: [], type: INT64, data: BigInt64Array.from([0n]) },
    { name: 'one', dims: [], type: INT64, data: BigInt64Array.from([1n]) },
  ];
  const onnx = encodeModel(
    {
      nodes,
      initializers,
      inputs: ['input_ids', 'attention_mask', 'token_type_ids'].map((name) => ({ name, type: INT64, shape: ['batch', 'sequence'] })),
      outputs: [{ name: 'last_hidden_state', type: FLOAT, shape: ['batch', 'sequence', hidden] }],
    },
    17,
  );
  mkdirSync(path.join(folder, 'onnx'), { recursive: true });
  writeFileSync(path.join(folder, 'onnx', 'model.onnx'), onnx);
  writeFileSync(path.join(folder, 'config.json'), JSON.stringify({ model_type: 'bert', architectures: ['BertModel'], hidden_size: hidden, vocab_size: vocab.length, max_position_embeddings: maxLength, type_vocab_size: 2 }));
  writeFileSync(path.join(folder, 'tokenizer_config.json'), JSON.stringify({ tokenizer_class: 'BertTokenizer', do_lower_case: true, model_max_length: maxLength, pad_token: '[PAD]', unk_token: '[UNK]', cls_token: '[CLS]', sep_token: '[SEP]' }));
  const special = (id: number, content: string) => ({ id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true });
  writeFileSync(
    path.join(folder, 'tokenizer.json'),
    JSON.stringify({
      version: '1.0',
      truncation: null,
      padding: null,
      added_tokens: [special(0, '[PAD]'), special(1, '[UNK]'), special(2, '[CLS]'), special(3, '[SEP]')],
      normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true },
      pre_tokenizer: { type: 'BertPreTokenizer' },
      post_processor: {
        type: 'TemplateProcessing',
        single: [{ SpecialToken: { id: '[CLS]', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '[SEP]', type_id: 0 } }],
        pair: [{ SpecialToken: { id: '[CLS]', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '[SEP]', type_id: 0 } }, { Sequence: { id: 'B', type_id: 1 } }, { SpecialToken: { id: '[SEP]', type_id: 1 } }],
        special_tokens: { '[CLS]': { id: '[CLS]', ids: [2], tokens: ['[CLS]'] }, '[SEP]': { id: '[SEP]', ids: [3], tokens: ['[SEP]'] } },
      },
      decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
      model: { type: 'WordPiece', unk_token: '[UNK]', continuing_subword_prefix: '##', max_input_chars_per_word: 100, vocab: Object.fromEntries(vocab.map((t, i) => [t, i])) },
    }),
  );
  if (options.pooling === 'cls') {
    mkdirSync(path.join(folder, '1_Pooling'), { recursive: true });
    writeFileSync(path.join(folder, '1_Pooling', 'config.json'), JSON.stringify({ word_embedding_dimension: hidden, pooling_mode_cls_token: true, pooling_mode_mean_tokens: false }));
  }
}
