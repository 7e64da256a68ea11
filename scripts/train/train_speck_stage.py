"""npm run train:speck-stage -- --crops DUMP --out models/mammocad-calc-speck-stage.onnx
    [--folds 2 | --all-studies [--networks 2] [--check DUMP]] [--epochs 30] [--max-steps N] [--batch 256]
    [--lr 2e-3] [--seed 17] [--threads 2] [--device cpu]

Trains the speck stage (speck_stage_net.py) on the crops of `npm run dump:speck-crops`. The dump's
studies, sorted by name, are dealt into --folds folds (study i goes to fold i mod K), and network k
learns from every study outside fold k: so each training study has a network that never saw it, and
the speck certainty can be fitted on those out-of-fold logits (`npm run train:speck-certainty` reads
the training record this writes). With --all-studies every one of --networks networks learns from
every study (seeds --seed + k): twice the data per network of two folds, and the certainty is then
fitted on studies no network saw, with the mean of all networks' logits, as the node reads them
(models/HISTORY.md, "0.3.18"); --check names a dump of such studies for each network's AUC. The
ONNX file holds all K networks (output N x K, one column per network); the node averages them.
AdamW with a one-cycle schedule, random flips and quarter turns of each batch, positives weighted
by sqrt(negatives / positives) (about one mark in ten lies on a speck). A network takes 10-25
minutes on 2 CPU threads, so there are no checkpoints: an interrupted run starts again.

Writes --out and its training record beside it (.training.json: the studies each network learnt
from, and each one's AUC on its own fold or on --check's studies).
"""
import argparse
import json
import os
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from speck_stage_net import CHANNELS, CROP_PX, SpeckStageNet, StageEnsemble, export_onnx  # noqa: E402
from train_common import auc, fail, pick_device, prepare_output  # noqa: E402

SCRIPT = "train_speck_stage"


def parse_args(argv):
    p = argparse.ArgumentParser(prog="npm run train:speck-stage --")
    p.add_argument("--crops", required=True, help="a dump of npm run dump:speck-crops (its index.json)")
    p.add_argument("--out", required=True, help="the ONNX file to write")
    p.add_argument("--folds", type=int, default=2)
    p.add_argument("--all-studies", action="store_true", help="every network learns from every study (no folds)")
    p.add_argument("--networks", type=int, default=2, help="with --all-studies: how many networks")
    p.add_argument("--check", help="with --all-studies: a dump of studies no network learns from, for each network's AUC")
    p.add_argument("--epochs", type=float, default=30)
    p.add_argument("--max-steps", type=int, default=0, help="stop each network after this many steps (smoke runs)")
    p.add_argument("--batch", type=int, default=256)
    p.add_argument("--lr", type=float, default=2e-3)
    p.add_argument("--seed", type=int, default=17)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--device", default="cpu")
    return p.parse_args(argv)


def load_dump(folder: str):
    """The index's studies in name order, with each study's crops and labels."""
    index_file = os.path.join(folder, "index.json")
    if not os.path.isfile(index_file):
        fail(SCRIPT, f"--crops {folder}: no index.json (write one with npm run dump:speck-crops)")
    with open(index_file) as f:
        index = json.load(f)
    if index.get("cropPx") != CROP_PX or index.get("channels") != CHANNELS:
        fail(SCRIPT, f"--crops {folder}: crops of {index.get('channels')} x {index.get('cropPx')} px, this network reads {CHANNELS} x {CROP_PX}")
    studies = sorted(index["studies"], key=lambda s: s["key"])
    plane = CHANNELS * CROP_PX * CROP_PX
    crops, labels = [], []
    for s in studies:
        x = np.fromfile(os.path.join(folder, s["crops"]), dtype="<f4")
        y = np.fromfile(os.path.join(folder, s["labels"]), dtype=np.uint8)
        if x.size != s["marks"] * plane or y.size != s["marks"]:
            fail(SCRIPT, f"--crops {folder}: {s['key']} holds {x.size // plane} crops and {y.size} labels, its index says {s['marks']}")
        crops.append(x.reshape(-1, CHANNELS, CROP_PX, CROP_PX))
        labels.append(y.astype(np.float32))
    return index, studies, crops, labels


def predict(net, x: torch.Tensor, device, batch: int = 2048) -> np.ndarray:
    net.eval()
    with torch.no_grad():
        return np.concatenate([net(x[i:i + batch].to(device)).squeeze(1).cpu().numpy() for i in range(0, len(x), batch)])


def train_network(x: torch.Tensor, y: torch.Tensor, args, device, seed: int) -> SpeckStageNet:
    torch.manual_seed(seed)
    net = SpeckStageNet().to(device)
    steps_per_epoch = max(1, len(x) // args.batch)
    steps = max(1, int(args.epochs * steps_per_epoch))
    if args.max_steps:
        steps = min(steps, args.max_steps)
    positives = float(y.sum())
    pos_weight = torch.tensor(np.sqrt(max(len(y) - positives, 1.0) / max(positives, 1.0)), device=device)
    optimiser = torch.optim.AdamW(net.parameters(), lr=args.lr, weight_decay=1e-3)
    schedule = torch.optim.lr_scheduler.OneCycleLR(optimiser, max_lr=args.lr, total_steps=steps, pct_start=0.2)
    gen = torch.Generator().manual_seed(seed)
    started = time.time()
    net.train()
    for step in range(1, steps + 1):
        idx = torch.randint(0, len(x), (args.batch,), generator=gen)
        xb = torch.rot90(x[idx], int(torch.randint(0, 4, (1,), generator=gen)), (2, 3))
        if bool(torch.randint(0, 2, (1,), generator=gen)):
            xb = torch.flip(xb, (3,))
        loss = F.binary_cross_entropy_with_logits(net(xb.to(device)).squeeze(1), y[idx].to(device), pos_weight=pos_weight)
        optimiser.zero_grad()
        loss.backward()
        optimiser.step()
        schedule.step()
        if step % 200 == 0 or step == steps:
            print(f"  step {step}/{steps} loss {loss.item():.4f} {time.time() - started:.0f}s", flush=True)
    return net.eval()


def training_plans(args, studies):
    """(studies it learns from, studies it is checked on or None for --check) for each network."""
    everything = list(range(len(studies)))
    if args.all_studies:
        return [(everything, None) for _ in range(args.networks)]
    fold_of = [i % args.folds for i in everything]
    return [([i for i in everything if fold_of[i] != k], [i for i in everything if fold_of[i] == k]) for k in range(args.folds)]


def main(argv):
    args = parse_args(argv)
    torch.set_num_threads(args.threads)
    device = pick_device(SCRIPT, args.device)
    if args.all_studies and args.networks < 1:
        fail(SCRIPT, f"--networks {args.networks}: at least 1")
    if not args.all_studies and args.folds < 2:
        fail(SCRIPT, f"--folds {args.folds}: at least 2, so that every training study has a network that never saw it (or --all-studies)")
    if args.check and not args.all_studies:
        fail(SCRIPT, "--check goes with --all-studies; with folds each network is checked on its own fold")
    prepare_output(SCRIPT, args.out)
    index, studies, crops, labels = load_dump(args.crops)
    if not args.all_studies and len(studies) < args.folds:
        fail(SCRIPT, f"--crops {args.crops} holds {len(studies)} studies, fewer than --folds {args.folds}")
    check = None
    if args.check:
        _, check_studies, check_crops, check_labels = load_dump(args.check)
        overlap = {s["key"] for s in check_studies} & {s["key"] for s in studies}
        if overlap:
            fail(SCRIPT, f"--check {args.check} holds studies the networks learn from: {sorted(overlap)[:3]}")
        check = (torch.from_numpy(np.concatenate(check_crops)), np.concatenate(check_labels), len(check_studies))
    started = time.time()
    nets, records = [], []
    for k, (inside, held) in enumerate(training_plans(args, studies)):
        x = torch.from_numpy(np.concatenate([crops[i] for i in inside]))
        y = torch.from_numpy(np.concatenate([labels[i] for i in inside]))
        if y.sum() == 0 or y.sum() == len(y):
            fail(SCRIPT, f"network {k}: its {len(y)} training marks are all of one label; the dump needs marks on and off specks")
        print(f"{SCRIPT}: network {k} on {len(inside)} studies, {len(y)} marks ({int(y.sum())} on a speck)", flush=True)
        net = train_network(x, y, args, device, args.seed + k)
        record = {"trainedOn": [studies[i]["key"] for i in inside], "marks": int(len(y)), "onSpeck": int(y.sum())}
        del x, y
        # Checked on its own fold, or on --check's studies that no network learns from.
        checked = check if held is None else (torch.from_numpy(np.concatenate([crops[i] for i in held])), np.concatenate([labels[i] for i in held]), len(held))
        if checked is not None:
            held_x, held_y, held_n = checked
            held_auc = auc(predict(net, held_x, device), held_y)
            held_auc = None if held_auc is None else round(held_auc, 4)
            what = "--check" if held is None else "out-of-fold"
            print(f"{SCRIPT}: network {k}: {what} AUC {held_auc} on {len(held_y)} marks of {held_n} studies", flush=True)
            record["check" if held is None else "outOfFold"] = {"studies": held_n, "marks": int(len(held_y)), "auc": held_auc}
        nets.append(net.cpu())
        records.append(record)
    ensemble = StageEnsemble(nets)
    export_onnx(ensemble, args.out)
    base = os.path.splitext(args.out)[0]
    record = {
        "onnx": os.path.basename(args.out),
        "parameters": sum(p.numel() for p in nets[0].parameters()),
        "networks": records,
        "dump": {"folder": os.path.abspath(args.crops), "studies": len(studies), "label": index.get("label"), "generator": index.get("generator")},
        "plan": f"{args.networks} networks, each on every study" if args.all_studies else f"{args.folds} folds, network k on the studies outside fold k",
        "epochs": args.epochs,
        "maxSteps": args.max_steps,
        "batch": args.batch,
        "learningRate": args.lr,
        "seed": args.seed,
        "device": str(device),
        "trainSeconds": round(time.time() - started, 1),
    }
    with open(base + ".training.json", "w") as f:
        json.dump(record, f, indent=2)
    print(f"{SCRIPT}: wrote {args.out}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
