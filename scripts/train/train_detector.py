"""Trains the calcification detector and exports it to ONNX.

  npm run train:detector -- --data DIR[,DIR...] --out models/mammocad-calc-detector.onnx
      [--steps N] [--resume CKPT] [--init WEIGHTS] [--widths 12,24,48,64] [--local-contrast] [--device cpu|cuda] [--fixture N] [--ema DECAY]

Seeds are fixed; checkpoints (model, optimiser, step, random states) go to --ckpt-dir (outside the
repository) every --ckpt-every steps, and --resume continues from one bit for bit in the data order
(with the checkpoint's --widths). A --ckpt-dir that already holds a checkpoint needs --resume (or
another folder): starting over would overwrite it.
Loss: focal binary cross-entropy with online hard-negative mining plus soft Dice, both with the 255
"ignore" pixels masked out. Validation: per-speck sensitivity and false marks per patch.
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
from detector_net import CalcificationNet, detector_state, embed_weights, export_onnx, has_local_contrast  # noqa: E402
from fixture_patches import make_patches  # noqa: E402
from patch_dataset import load_patch_folders, validation_split  # noqa: E402
from speck_metrics import speck_detection_counts  # noqa: E402
from train_common import (  # noqa: E402
    check_split, check_weights, fail, load_checkpoint, load_patches, pick_device, prepare_checkpoints, prepare_output,
    resume_training, rng_state, save_atomically,
)

SCRIPT = "train_detector"
DEFAULT_WIDTHS = "12,24,48,64"


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data", default="", help="comma-separated synth:patches folders")
    p.add_argument("--fixture", type=int, default=0, help="use N built-in generated patches instead of --data")
    p.add_argument("--fixture-size", type=int, default=64)
    p.add_argument("--out", required=True, help="ONNX file to write")
    p.add_argument("--steps", type=int, default=3000)
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--lr", type=float, default=3e-3)
    p.add_argument("--seed", type=int, default=1234)
    p.add_argument("--val-fraction", type=float, default=0.1)
    p.add_argument("--resume", default="", help="checkpoint to continue from (same --steps and data)")
    p.add_argument("--stop-after", type=int, default=0, help="stop (checkpointed, no export) after this step, as an interrupted run would")
    p.add_argument("--ckpt-dir", default="/tmp/mammocad-train")
    p.add_argument("--ckpt-every", type=int, default=250)
    p.add_argument("--init", default="", help="start from this checkpoint's weights (fine-tuning; optimiser starts fresh)")
    p.add_argument("--crop", type=int, default=0, help="train on random crops of this size (a multiple of 8)")
    p.add_argument("--device", default="cpu", choices=["cpu", "cuda"])
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--threshold", type=float, default=0.5)
    p.add_argument("--widths", default=None,
                   help=f"channels per level: three (0.1-0.2 detector: 8,16,32) or four; default {DEFAULT_WIDTHS}, or --resume's or --init's checkpoint's; "
                        "with --init, wider widths grow its network (it starts with the checkpoint's heatmap; the new channels learn)")
    p.add_argument("--local-contrast", action="store_true",
                   help="a new network also reads each pixel's local contrast-to-noise ratio (detector_net.LocalContrast); --init and --resume keep their checkpoint's input")
    p.add_argument("--focal-gamma", type=float, default=2.0, help="0 = plain BCE (better-calibrated negatives)")
    p.add_argument("--neg-ratio", type=int, default=20, help="hardest negatives kept per positive pixel")
    p.add_argument("--speck-balance", type=float, default=0.0,
                   help="0-1: weigh each calcification pixel by (calcification pixels near it) ** -VALUE, so small specks count more; 0 = per pixel")
    p.add_argument("--ema", type=float, default=0.0,
                   help="decay of an exponential moving average of the weights (e.g. 0.999), which is then validated and exported; 0 = off")
    return p.parse_args(argv)


def as_list(widths) -> str:
    """Widths as --widths takes them: 12,24,48,64."""
    return ",".join(map(str, widths))


def seed_everything(seed: int) -> None:
    np.random.seed(seed)
    torch.manual_seed(seed)


def augment(images: torch.Tensor, gen: torch.Generator) -> torch.Tensor:
    """Gain and offset jitter of the breast pixels (the background stays -4, as the contract fixes
    it) so the model keys on local contrast, not on the absolute level."""
    n = images.shape[0]
    gain = (0.75 + 0.5 * torch.rand(n, 1, 1, 1, generator=gen)).to(images.device)
    offset = (torch.rand(n, 1, 1, 1, generator=gen) - 0.5).to(images.device)
    return torch.where(images <= -3.999, images, images * gain + offset)


def flip_rotate(x: torch.Tensor, y: torch.Tensor, k: int, flip: bool):
    x, y = torch.rot90(x, k, (2, 3)), torch.rot90(y, k, (2, 3))
    if flip:
        x, y = torch.flip(x, (3,)), torch.flip(y, (3,))
    return x, y


SPECK_WINDOW = 9  # px: wider than the specks that need the help (0.2-0.3 mm = 3-4 px at 70 um)


def speck_balance_weights(y: torch.Tensor, alpha: float) -> torch.Tensor:
    """Weight of each calcification pixel, (positives in its 9 x 9 window) ** -alpha, rescaled so the
    positives keep their total weight. Per pixel (alpha = 0) a 1 mm speck (about 150 px) outweighs a
    0.2 mm one (about 9 px) some 16 times, although the small faint ones are what the detector
    misses; with alpha = 1, about 3 times. The Dice term stays per pixel."""
    count = F.avg_pool2d(y, SPECK_WINDOW, stride=1, padding=SPECK_WINDOW // 2, count_include_pad=True) * SPECK_WINDOW**2
    w = torch.where(y > 0, count.clamp(min=1.0) ** -alpha, torch.zeros_like(y))
    return w * (y.sum() / w.sum().clamp(min=1e-12))


def detector_loss(logits: torch.Tensor, target: torch.Tensor, gamma: float = 2.0, neg_ratio: int = 20,
                  speck_balance: float = 0.0):
    """Focal BCE over all positives and the hardest negatives (at most neg_ratio per positive, at
    least 1/8 of the negatives) plus soft Dice over the valid pixels. speck_balance > 0 shifts the
    positives' weight from large specks to small ones (speck_balance_weights)."""
    valid = target != 255
    y = (target == 1).float()
    bce = F.binary_cross_entropy_with_logits(logits, y, reduction="none")
    p = torch.sigmoid(logits)
    pt = torch.where(y > 0, p, 1 - p)
    focal = bce * (1 - pt) ** gamma
    pos = valid & (y > 0)
    neg = valid & (y == 0)
    n_pos = int(pos.sum())
    neg_losses = focal[neg]
    k = min(neg_losses.numel(), max(neg_ratio * max(n_pos, 1), neg_losses.numel() // 8))
    hard = torch.topk(neg_losses, k).values if k > 0 else neg_losses[:0]
    pos_losses = focal[pos] * speck_balance_weights(y, speck_balance)[pos] if speck_balance > 0 else focal[pos]
    focal_term = (pos_losses.sum() + hard.sum()) / max(n_pos + k, 1) * 10.0
    pv, yv = p[valid], y[valid]
    dice = 1 - (2 * (pv * yv).sum() + 1) / (pv.sum() + yv.sum() + 1)
    return focal_term + dice


def evaluate(model, images, targets, threshold, device, batch=64):
    model.eval()
    hits = total = false_marks = 0
    with torch.no_grad():
        for i in range(0, len(images), batch):
            x = torch.from_numpy(images[i : i + batch]).unsqueeze(1).to(device)
            prob = model(x).squeeze(1).cpu().numpy()
            for j in range(prob.shape[0]):
                h, t, f = speck_detection_counts(prob[j], targets[i + j], threshold)
                hits, total, false_marks = hits + h, total + t, false_marks + f
    model.train()
    return {
        "speckSensitivity": hits / total if total else float("nan"),
        "specks": total,
        "falseMarksPerPatch": false_marks / len(images),
        "patches": len(images),
        "threshold": threshold,
    }


def checkpoint_state(model, optimiser, schedule, gen, step, seed, widths, average):
    state = {"model": model.state_dict(), "optimiser": optimiser.state_dict(), "schedule": schedule.state_dict(),
             "generator": gen.get_state(), "rng": rng_state(), "step": step, "seed": seed, "widths": widths}
    if average is not None:
        state["ema"] = average.state
    return state


class WeightAverage:
    """Exponential moving average of every floating-point tensor of the model's state (weights and
    BatchNorm statistics; Polyak averaging): the average of the last ~1/(1-decay) steps is often
    better than the last step's weights. Its state is checkpointed, so --resume stays exact."""

    def __init__(self, model: torch.nn.Module, decay: float):
        self.decay = decay
        self.state = {k: v.detach().clone() for k, v in model.state_dict().items()}

    @torch.no_grad()
    def update(self, model: torch.nn.Module) -> None:
        for k, v in model.state_dict().items():
            if v.dtype.is_floating_point:
                self.state[k].mul_(self.decay).add_(v.detach(), alpha=1 - self.decay)
            else:
                self.state[k].copy_(v)


def main(argv):
    args = parse_args(argv)
    torch.set_num_threads(args.threads)
    seed_everything(args.seed)
    device = pick_device(SCRIPT, args.device)
    # Everything that can be wrong with the arguments is found before the data are loaded.
    ck_path = prepare_checkpoints(SCRIPT, args.ckpt_dir, "detector-last.pt", args.resume)
    prepare_output(SCRIPT, args.out)
    ck = load_checkpoint(SCRIPT, "--resume", args.resume, device) if args.resume else None
    init = load_checkpoint(SCRIPT, "--init", args.init, device) if args.init and not args.resume else None
    if args.fixture > 0:
        images, targets = make_patches(args.fixture, args.fixture_size, args.seed)
        source = {"fixture": args.fixture, "size": args.fixture_size, "seed": args.seed}
    elif args.data:
        folders = [d for d in args.data.split(",") if d]
        images, targets, metas = load_patches(SCRIPT, load_patch_folders, folders)
        source = {"folders": folders, "meta": metas}
    else:
        fail(SCRIPT, "give --data DIR or --fixture N")
    val_idx, train_idx = validation_split(len(images), args.val_fraction, args.seed)
    check_split(SCRIPT, folders if args.fixture <= 0 else [f"fixture {args.fixture}"], len(images), len(train_idx), len(val_idx))
    print(f"train_detector: {len(train_idx)} training and {len(val_idx)} validation patches of {images.shape[1]} px", flush=True)

    widths = tuple(int(w) for w in (args.widths or DEFAULT_WIDTHS).split(","))
    if ck is not None and "widths" in ck:
        # A resumed run has the checkpoint's shape; a different --widths given with it is a mistake.
        if args.widths and tuple(ck["widths"]) != widths:
            fail(SCRIPT, f"--resume {args.resume} has widths {as_list(ck['widths'])}, --widths says {args.widths}")
        widths = tuple(ck["widths"])
    init_widths = tuple(init.get("widths", widths)) if init is not None else widths
    if init is not None and not args.widths:
        widths = init_widths  # fine-tuning keeps the checkpoint's shape unless --widths grows it
    if len(init_widths) != len(widths) or any(w < v for w, v in zip(widths, init_widths)):
        fail(SCRIPT, f"--init {args.init} has widths {as_list(init_widths)}; --widths may only widen them, level by level")
    local_contrast = args.local_contrast
    for option, given in (("--resume", ck), ("--init", init)):
        if given is not None:
            if args.local_contrast and not has_local_contrast(given["model"]):
                fail(SCRIPT, f"{option} is a network without the local-contrast input; --local-contrast needs a new one")
            local_contrast = has_local_contrast(given["model"])
    model = CalcificationNet(widths, local_contrast=local_contrast).to(device)
    if init is not None:
        # The checkpoint is checked against its own shape, then grown into the model if --widths widens it.
        narrow = model if widths == init_widths else CalcificationNet(init_widths, local_contrast=local_contrast).to(device)
        check_weights(SCRIPT, "--init", args.init, narrow, detector_state(init["model"]))
    if ck is not None:
        check_weights(SCRIPT, "--resume", args.resume, model, ck["model"])
    optimiser = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=1e-4)
    schedule = torch.optim.lr_scheduler.OneCycleLR(optimiser, max_lr=args.lr, total_steps=max(args.steps, 1), pct_start=0.1)
    gen = torch.Generator().manual_seed(args.seed)
    step = 0
    if init is not None:
        embed_weights(detector_state(init["model"]), model, silent=False)
        grown = f", widths {as_list(init_widths)} grown to {as_list(widths)}" if widths != init_widths else ""
        print(f"train_detector: initial weights from {args.init}{grown}", flush=True)
        if init.get("centreHeadDepth", -1) >= 0:
            print("train_detector: its speck-centre head is left out; retrain it on the new network (npm run train:centre-head)", flush=True)
    if ck is not None:
        step = resume_training(SCRIPT, args.resume, ck, model, optimiser, schedule, gen)
    average = WeightAverage(model, args.ema) if args.ema > 0 else None
    if average is not None and ck is not None and "ema" in ck:
        average.state = ck["ema"]

    # On a GPU the training patches live there (a few GB at most), so a step moves no image data.
    train_x = torch.from_numpy(images[train_idx]).unsqueeze(1).to(device)
    train_y = torch.from_numpy(targets[train_idx]).unsqueeze(1).to(device)
    started = time.time()
    model.train()
    while step < args.steps:
        idx = torch.randint(0, len(train_idx), (args.batch,), generator=gen).to(device)
        x, y = train_x[idx], train_y[idx]
        if args.crop and args.crop < x.shape[-1]:
            oy, ox = (int(v) for v in torch.randint(0, x.shape[-1] - args.crop + 1, (2,), generator=gen))
            x, y = x[..., oy : oy + args.crop, ox : ox + args.crop], y[..., oy : oy + args.crop, ox : ox + args.crop]
        k, flip = int(torch.randint(0, 4, (1,), generator=gen)), bool(torch.randint(0, 2, (1,), generator=gen))
        x, y = flip_rotate(augment(x, gen), y, k, flip)
        loss = detector_loss(model.logits(x), y, args.focal_gamma, args.neg_ratio,
                             args.speck_balance)
        optimiser.zero_grad()
        loss.backward()
        optimiser.step()
        schedule.step()
        if average is not None:
            average.update(model)
        step += 1
        if step % 50 == 0 or step == args.steps:
            print(f"step {step}/{args.steps} loss {loss.item():.4f} {time.time() - started:.0f}s", flush=True)
        if step % args.ckpt_every == 0 or step == args.steps:
            save_atomically(checkpoint_state(model, optimiser, schedule, gen, step, args.seed, widths, average), ck_path)
        if args.stop_after and step >= args.stop_after and step < args.steps:
            save_atomically(checkpoint_state(model, optimiser, schedule, gen, step, args.seed, widths, average), ck_path)
            print(f"train_detector: stopped at step {step}; resume with --resume {ck_path}", flush=True)
            return

    if average is not None:
        model.load_state_dict(average.state)  # the averaged weights are the result
    metrics = evaluate(model, images[val_idx], targets[val_idx], args.threshold, device)
    print("validation " + json.dumps(metrics), flush=True)
    model.cpu()
    export_onnx(model, args.out)
    # Weights only (no optimiser): small enough to commit beside the ONNX, so the next model can
    # start from this one with --init.
    weights_path = os.path.splitext(args.out)[0] + ".pt"
    torch.save({"model": model.state_dict(), "widths": widths, "step": step, "seed": args.seed}, weights_path)
    record = {
        "onnx": os.path.basename(args.out),
        "parameters": sum(p.numel() for p in model.parameters()),
        "widths": list(widths),
        "localContrast": local_contrast,
        "weights": os.path.basename(weights_path),
        "steps": step,
        "batch": args.batch,
        "seed": args.seed,
        "learningRate": args.lr,
        "trainPatches": int(len(train_idx)),
        "validation": metrics,
        "source": source,
        "init": args.init or None,
        "crop": args.crop or None,
        "device": str(device),
        "trainSeconds": round(time.time() - started, 1),
        "loss": {"focalGamma": args.focal_gamma, "negativesPerPositive": args.neg_ratio,
                 "speckBalance": args.speck_balance or None},
        "weightAverageDecay": args.ema or None,
    }
    with open(os.path.splitext(args.out)[0] + ".training.json", "w") as f:
        json.dump(record, f, indent=2)
    print(f"train_detector: wrote {args.out}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
