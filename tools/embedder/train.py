#!/usr/bin/python3
"""Trains Sourceline's built-in static code embedding model and exports it to ONNX.

Input: the token-count tables written by tools/embedder/mine.ts (.cache/embedder/data).
Model: a token table (vocabulary x D) and a learned weight per token; a text's vector is the sum of
its tokens' rows weighted by softplus(weight) * log(1 + count) (term frequency saturates), L2-normed.
Loss: InfoNCE over in-batch negatives plus BM25 hard negatives from the same package.
Output: models/<name>/model.onnx (int8 table, one scale per row folded into the token weights),
vocab.json, meta.json with held-out MRR per language and per pair kind (and the previous model's on
the same pairs when --compare names its folder).
Deterministic for a given seed and data (single-threaded reductions, fixed shuffles).
"""
import argparse
import hashlib
import json
import math
import os
import random
import signal
import time

import numpy as np
import onnx
import torch
import torch.nn.functional as F
from onnx import TensorProto, helper, numpy_helper


def load(data_dir):
    texts = np.fromfile(os.path.join(data_dir, "texts.bin"), dtype=np.int32)
    offsets = np.fromfile(os.path.join(data_dir, "offsets.bin"), dtype=np.int32)
    pairs = np.fromfile(os.path.join(data_dir, "pairs.bin"), dtype=np.int32).reshape(-1, 8)
    with open(os.path.join(data_dir, "vocab.json")) as f:
        vocab = json.load(f)
    with open(os.path.join(data_dir, "df.json")) as f:
        df = json.load(f)
    with open(os.path.join(data_dir, "labels.json")) as f:
        labels = json.load(f)
    bags = []
    for o in offsets:
        n = texts[o]
        ids_counts = texts[o + 1 : o + 1 + 2 * n].reshape(n, 2)
        bags.append((ids_counts[:, 0].astype(np.int64), ids_counts[:, 1].astype(np.float32)))
    return bags, pairs, vocab, df, labels


class StaticEmbedder(torch.nn.Module):
    def __init__(self, vocab_size, dims, idf):
        super().__init__()
        # Sparse gradients: a batch touches a few thousand of the vocabulary's rows, and a dense
        # Adam step over the whole table would cost more than the batch itself.
        self.table = torch.nn.EmbeddingBag(vocab_size, dims, mode="sum", sparse=True)
        torch.nn.init.normal_(self.table.weight, std=0.1)
        with torch.no_grad():
            self.table.weight[0].zero_()
        # softplus^-1(idf): the weights start as inverse document frequencies.
        self.raw_weight = torch.nn.Parameter(torch.log(torch.expm1(torch.clamp(idf, min=1e-3))))

    def forward(self, ids, offsets, tf):
        weights = F.softplus(self.raw_weight[ids]) * tf
        return F.normalize(self.table(ids, offsets, per_sample_weights=weights), dim=-1)


def batch_of(bags, indices):
    ids, tfs, offsets = [], [], []
    total = 0
    for i in indices:
        b_ids, b_counts = bags[i]
        offsets.append(total)
        ids.append(b_ids)
        tfs.append(np.log1p(b_counts))
        total += len(b_ids)
    return (
        torch.from_numpy(np.concatenate(ids) if ids else np.zeros(0, np.int64)),
        torch.tensor(offsets, dtype=torch.int64),
        torch.from_numpy(np.concatenate(tfs) if tfs else np.zeros(0, np.float32)),
    )


def encode(model, bags, indices, chunk=2048):
    out = []
    for s in range(0, len(indices), chunk):
        out.append(model(*batch_of(bags, indices[s : s + chunk])))
    return torch.cat(out)


def evaluate(model, bags, pairs, chunk=1024):
    """MRR of each query's positive among all positives and hard negatives of the split."""
    if len(pairs) == 0:
        return 0.0
    with torch.no_grad():
        docs = sorted(set(pairs[:, 1].tolist()) | set(int(x) for x in pairs[:, 2:5].flatten() if x >= 0))
        position = {d: i for i, d in enumerate(docs)}
        d = encode(model, bags, docs)
        total = 0.0
        for s in range(0, len(pairs), chunk):
            rows = pairs[s : s + chunk]
            q = encode(model, bags, rows[:, 0].tolist())
            scores = q @ d.T
            target = torch.tensor([position[int(p)] for p in rows[:, 1]])
            positive = scores[torch.arange(len(target)), target].unsqueeze(1)
            total += float((1.0 / ((scores > positive).sum(dim=1) + 1).float()).sum())
        return total / len(pairs)


# Ctrl-C (or SIGTERM) ends training after the current batch; the best epoch so far is exported.
STOP = {"requested": False}


def request_stop(_signum, _frame):
    STOP["requested"] = True


KINDS = ["doc", "identifier", "section", "commit"]  # labels.json's kinds (mine.ts PAIR_KINDS)
IDENTIFIER_KIND = 1  # index of "identifier" in labels.json's kinds (mine.ts PAIR_KINDS)


class FrozenEncoder:
    """A static model given as a float table and per-token weights over the current vocabulary (ids
    it lacks are dropped): the exported model as quantized, or the previous model for comparison."""

    def __init__(self, table, weights):
        self.table = torch.from_numpy(table.astype(np.float32))
        self.weights = torch.from_numpy(weights.astype(np.float32))

    def __call__(self, ids, offsets, tf):
        keep = self.weights[ids] > 0
        w = torch.where(keep, self.weights[ids] * tf, torch.zeros_like(tf))
        return F.normalize(F.embedding_bag(ids, self.table, offsets, mode="sum", per_sample_weights=w), dim=-1)


def previous_model(folder, vocab):
    """The model in `folder` (model.onnx + vocab.json) mapped onto this vocabulary."""
    m = onnx.load(os.path.join(folder, "model.onnx"))
    init = {t.name: numpy_helper.to_array(t) for t in m.graph.initializer}
    with open(os.path.join(folder, "vocab.json")) as f:
        old = {t: i for i, t in enumerate(json.load(f))}
    rows = np.array([old.get(t, 0) for t in vocab])
    table = init["table"].astype(np.float32)[rows]
    weights = init["weights"].astype(np.float32)[rows]
    weights[rows == 0] = 0.0
    return FrozenEncoder(table, weights)


def report(encoder, bags, pairs, labels):
    """Held-out MRR overall, per language and per pair kind (each against its own group's documents)."""
    out = {"all": round(evaluate(encoder, bags, pairs), 4), "n": int(len(pairs)), "byLanguage": {}, "byKind": {}}
    for column, key, names in ((7, "byLanguage", labels["languages"]), (6, "byKind", labels["kinds"])):
        for i, name in enumerate(names):
            group = pairs[pairs[:, column] == i]
            if len(group) >= 20:
                out[key][name] = {"mrr": round(evaluate(encoder, bags, group), 4), "n": int(len(group))}
    return out


def train(bags, pairs, vocab_size, idf, dims, epochs, batch, lr, tau, seed, minutes, identifier_share):
    torch.manual_seed(seed)
    random.seed(seed)
    model = StaticEmbedder(vocab_size, dims, idf)
    dense = torch.optim.Adam([model.raw_weight], lr=lr)
    sparse = torch.optim.SparseAdam([model.table.weight], lr=lr)
    train_pairs = pairs[pairs[:, 5] == 0]
    held_out = pairs[pairs[:, 5] == 1]
    # Identifier pairs (`parse query string` → parseQueryString) are the most numerous and the ones
    # lexical search already answers: at most `identifier_share` of the other pairs' count is kept.
    identifier = train_pairs[:, 6] == IDENTIFIER_KIND
    keep = int(identifier_share * int((~identifier).sum()))
    if identifier.sum() > keep:
        chosen = np.random.RandomState(seed).permutation(np.flatnonzero(identifier))[:keep]
        train_pairs = np.concatenate([train_pairs[~identifier], train_pairs[np.sort(chosen)]])
    # Model selection on a fixed sample of the held-out pairs (all of them are reported at the end).
    select = held_out[np.random.RandomState(seed).permutation(len(held_out))[:4000]]
    order = list(range(len(train_pairs)))
    started = time.time()
    best = (-1.0, None, 0)
    for epoch in range(epochs):
        random.Random(seed + epoch).shuffle(order)
        model.train()
        losses = []
        for s in range(0, len(order), batch):
            if STOP["requested"]:
                break
            rows = train_pairs[order[s : s + batch]]
            docs = list(dict.fromkeys(rows[:, 1].tolist() + [int(x) for x in rows[:, 2:5].flatten() if x >= 0]))
            position = {d: i for i, d in enumerate(docs)}
            q = model(*batch_of(bags, rows[:, 0].tolist()))
            d = model(*batch_of(bags, docs))
            logits = q @ d.T / tau
            target = torch.tensor([position[int(p)] for p in rows[:, 1]])
            loss = F.cross_entropy(logits, target)
            dense.zero_grad()
            sparse.zero_grad()
            loss.backward()
            dense.step()
            sparse.step()
            with torch.no_grad():
                model.table.weight[0].zero_()
            losses.append(float(loss))
        model.eval()
        mrr = evaluate(model, bags, select)
        print(f"epoch {epoch + 1}: loss {np.mean(losses):.4f}, held-out MRR {mrr:.4f}, {time.time() - started:.0f} s", flush=True)
        if mrr > best[0]:
            best = (mrr, {k: v.clone() for k, v in model.state_dict().items()}, epoch + 1)
        if time.time() - started > minutes * 60 or STOP["requested"]:
            break
    model.load_state_dict(best[1])
    return model, {"heldOutMRR": round(best[0], 4), "bestEpoch": best[2], "trainPairs": int(len(train_pairs)), "trainPairsByKind": {name: int((train_pairs[:, 6] == i).sum()) for i, name in enumerate(KINDS)}, "heldOutPairs": int(len(held_out)), "trainSeconds": round(time.time() - started)}


def quantized(model):
    """The table as int8 rows with one scale each; the scale is folded into the token weight, since
    a text's vector is sum(w_t * tf_t * e_t) and e_t = scale_t * q_t."""
    table = model.table.weight.detach().numpy().astype(np.float32)
    scale = np.abs(table).max(axis=1) / 127.0
    scale[scale == 0] = 1.0
    q = np.clip(np.round(table / scale[:, None]), -127, 127).astype(np.int8)
    weights = (F.softplus(model.raw_weight.detach()).numpy() * scale).astype(np.float32)
    return q, weights


def export_onnx(model, path):
    table, weights = quantized(model)
    nodes = [
        helper.make_node("Gather", ["table", "ids"], ["rows8"], axis=0),
        helper.make_node("Cast", ["rows8"], ["rows"], to=TensorProto.FLOAT),
        helper.make_node("Gather", ["weights", "ids"], ["w"], axis=0),
        helper.make_node("Mul", ["w", "tf"], ["s"]),
        helper.make_node("Unsqueeze", ["s", "axis2"], ["s3"]),
        helper.make_node("Mul", ["rows", "s3"], ["weighted"]),
        helper.make_node("ReduceSum", ["weighted", "axis1"], ["sum"], keepdims=0),
        helper.make_node("Mul", ["sum", "sum"], ["sq"]),
        helper.make_node("ReduceSum", ["sq", "axis1"], ["sqsum"], keepdims=1),
        helper.make_node("Sqrt", ["sqsum"], ["norm"]),
        helper.make_node("Max", ["norm", "eps"], ["safe"]),
        helper.make_node("Div", ["sum", "safe"], ["embedding"]),
    ]
    graph = helper.make_graph(
        nodes,
        "sourceline-static-embedder",
        [
            helper.make_tensor_value_info("ids", TensorProto.INT64, ["batch", "tokens"]),
            helper.make_tensor_value_info("tf", TensorProto.FLOAT, ["batch", "tokens"]),
        ],
        [helper.make_tensor_value_info("embedding", TensorProto.FLOAT, ["batch", table.shape[1]])],
        [
            numpy_helper.from_array(table, "table"),
            numpy_helper.from_array(weights, "weights"),
            numpy_helper.from_array(np.array([1], dtype=np.int64), "axis1"),
            numpy_helper.from_array(np.array([2], dtype=np.int64), "axis2"),
            numpy_helper.from_array(np.array([1e-12], dtype=np.float32), "eps"),
        ],
    )
    m = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)], producer_name="sourceline-train")
    m.ir_version = 7
    onnx.checker.check_model(m)
    onnx.save(m, path)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", default=".cache/embedder/data")
    parser.add_argument("--out", default="models/sourceline-code-v2")
    parser.add_argument("--dims", type=int, default=256)
    parser.add_argument("--epochs", type=int, default=40)
    parser.add_argument("--batch", type=int, default=256)
    parser.add_argument("--lr", type=float, default=0.01)
    parser.add_argument("--tau", type=float, default=0.05)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--minutes", type=float, default=30)
    parser.add_argument("--identifier-share", type=float, default=0.5)
    parser.add_argument("--compare", default=None, help="folder of the previous model, measured on the same held-out pairs")
    args = parser.parse_args()
    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGTERM, request_stop)
    torch.set_num_threads(2)
    torch.use_deterministic_algorithms(True)
    bags, pairs, vocab, df, labels = load(args.data)
    if labels["kinds"] != KINDS:
        raise SystemExit(f"labels.json kinds {labels['kinds']} differ from train.py's {KINDS}: mine.ts and train.py disagree")
    n = df["documents"]
    idf = torch.tensor([math.log(1 + n / (1 + c)) for c in df["df"]], dtype=torch.float32)
    print(f"{len(bags)} texts, {len(pairs)} pairs, vocabulary {len(vocab)}", flush=True)
    model, stats = train(bags, pairs, len(vocab), idf, args.dims, args.epochs, args.batch, args.lr, args.tau, args.seed, args.minutes, args.identifier_share)
    held_out = pairs[pairs[:, 5] == 1]
    table, weights = quantized(model)
    heldout_report = {"model": report(FrozenEncoder(table, weights), bags, held_out, labels)}
    if args.compare is not None:
        heldout_report["previous"] = report(previous_model(args.compare, vocab), bags, held_out, labels)
    print(json.dumps(heldout_report), flush=True)
    os.makedirs(args.out, exist_ok=True)
    export_onnx(model, os.path.join(args.out, "model.onnx"))
    with open(os.path.join(args.out, "model.onnx"), "rb") as f:
        sha256 = hashlib.sha256(f.read()).hexdigest()
    with open(os.path.join(args.out, "vocab.json"), "w") as f:
        json.dump(vocab, f)
    meta = {
        "id": os.path.basename(args.out.rstrip("/")),
        "sha256": sha256,
        "dims": args.dims,
        "vocabulary": len(vocab),
        "tokenizer": "words-v1",
        "maxTokens": 512,
        "pooling": "sum of softplus(w_t) * log(1 + tf) * e_t, L2-normalised",
        "training": {**stats, "epochs": args.epochs, "batch": args.batch, "lr": args.lr, "tau": args.tau, "seed": args.seed},
        "heldOut": heldout_report,
    }
    with open(os.path.join(args.out, "meta.json"), "w") as f:
        json.dump(meta, f, indent=2)
    print(json.dumps(meta["training"]), flush=True)


if __name__ == "__main__":
    main()
