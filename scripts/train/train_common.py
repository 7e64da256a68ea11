"""Checks and checkpoint helpers shared by the training scripts.

Why: a mistake in the arguments (an empty or missing patch set, a checkpoint of another network, an
unwritable output, an old checkpoint folder) used to surface as a PyTorch traceback, or only after the
training time was spent. Each check here ends the run at once with one line naming the flag.
"""
import os
import sys
import tempfile

import numpy as np
import torch

# Fewest patches a run accepts: one for validation, at least one to train on.
MIN_PATCHES = 2


def fail(script: str, message: str) -> None:
    sys.exit(f"{script}: {message}")


def pick_device(script: str, name: str) -> torch.device:
    """--device cuda on a machine without CUDA is an error, not a silent (and 50x slower) CPU run."""
    if name == "cuda" and not torch.cuda.is_available():
        fail(script, "--device cuda, but PyTorch sees no CUDA device here (pass --device cpu)")
    return torch.device(name)


def _writable_folder(script: str, flag: str, folder: str) -> None:
    if os.path.exists(folder) and not os.path.isdir(folder):
        fail(script, f"cannot write to {flag} {folder}: it is a file, not a folder")
    try:
        os.makedirs(folder, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".mammocad-write-test-"):
            pass
    except OSError as e:
        fail(script, f"cannot write to {flag} {folder}: {e.strerror or e}")


def prepare_output(script: str, out: str) -> None:
    """Creates --out's folder and checks that it can be written before any training time is spent."""
    if os.path.isdir(out):
        fail(script, f"--out {out} is a folder; give the file to write")
    _writable_folder(script, "--out", os.path.dirname(os.path.abspath(out)))


def prepare_checkpoints(script: str, ckpt_dir: str, name: str, resume: str) -> str:
    """The checkpoint path in --ckpt-dir. Without --resume a checkpoint already there is refused: the
    run would start over and overwrite it (an interrupted run's progress lost)."""
    path = os.path.join(ckpt_dir, name)
    if not resume and os.path.exists(path):
        try:
            step = torch.load(path, map_location="cpu", weights_only=False).get("step", "?")
        except Exception:  # a truncated file is still someone's checkpoint
            step = "?"
        fail(script, f"--ckpt-dir {ckpt_dir} holds a checkpoint at step {step}: pass --resume {path} to continue, or choose another folder")
    _writable_folder(script, "--ckpt-dir", ckpt_dir)
    return path


def load_checkpoint(script: str, flag: str, path: str, map_location="cpu") -> dict:
    """A .pt of these scripts: a dict with the weights under 'model'."""
    if not os.path.isfile(path):
        fail(script, f"{flag} {path}: no such file")
    try:
        ck = torch.load(path, map_location=map_location, weights_only=False)
    except Exception as e:  # not a PyTorch file at all
        fail(script, f"{flag} {path} is not a PyTorch checkpoint ({type(e).__name__}: {e})")
    if not isinstance(ck, dict) or "model" not in ck:
        fail(script, f"{flag} {path} is not a checkpoint of these training scripts (no 'model' weights)")
    return ck


def check_weights(script: str, flag: str, path: str, model: torch.nn.Module, state: dict, optional_prefix: str = "") -> None:
    """Compares names and shapes before load_state_dict, whose errors list every tensor (and which
    raises on a shape mismatch even with strict=False). Keys under optional_prefix may be missing."""
    expected = model.state_dict()
    missing = [k for k in expected if k not in state and not (optional_prefix and k.startswith(optional_prefix))]
    unexpected = [k for k in state if k not in expected]
    shapes = [k for k in state if k in expected and tuple(state[k].shape) != tuple(expected[k].shape)]
    if not (missing or unexpected or shapes):
        return
    problems = []
    if missing:
        problems.append(f"{len(missing)} tensors missing (e.g. {missing[0]})")
    if unexpected:
        problems.append(f"{len(unexpected)} unknown tensors (e.g. {unexpected[0]})")
    if shapes:
        k = shapes[0]
        problems.append(f"{len(shapes)} of another shape (e.g. {k}: {tuple(state[k].shape)}, expected {tuple(expected[k].shape)})")
    fail(script, f"{flag} {path} does not fit this network: {'; '.join(problems)}")


def load_patches(script: str, load, *args):
    """Calls a patch_dataset loader, turning a missing or malformed folder into one line."""
    try:
        return load(*args)
    except (OSError, ValueError) as e:
        fail(script, f"--data: {e}")


def check_split(script: str, folders, total: int, train: int, val: int) -> None:
    if total < MIN_PATCHES or train == 0 or val == 0:
        fail(script, f"--data {','.join(folders)} holds {total} patches ({train} for training, {val} for validation); "
                     f"training needs at least {MIN_PATCHES} (npm run synth:patches -- --count N)")


def rng_state() -> dict:
    """PyTorch's global random state (dropout draws from it, not from the data generator), saved
    in checkpoints so that --resume continues bit for bit."""
    state = {"torch": torch.get_rng_state()}
    if torch.cuda.is_available():
        state["cuda"] = torch.cuda.get_rng_state_all()
    return state


def restore_rng(script: str, state) -> None:
    if state is None:
        print(f"{script}: the checkpoint predates saved random states; dropout continues from a fresh one", flush=True)
        return
    torch.set_rng_state(state["torch"].cpu())  # torch.load's map_location may have moved it
    if "cuda" in state and torch.cuda.is_available():
        torch.cuda.set_rng_state_all([s.cpu() for s in state["cuda"]])


def resume_training(script: str, path: str, ck: dict, model, optimiser, schedule, gen) -> int:
    """Loads a --resume checkpoint into the run's state (weights, optimiser, schedule, data order and
    global random state) and returns its step."""
    model.load_state_dict(ck["model"])
    optimiser.load_state_dict(ck["optimiser"])
    schedule.load_state_dict(ck["schedule"])
    gen.set_state(ck["generator"])
    restore_rng(script, ck.get("rng"))
    print(f"{script}: resumed from {path} at step {ck['step']}", flush=True)
    return ck["step"]


def save_atomically(state: dict, path: str) -> None:
    """Written beside and renamed: an interrupted save leaves the previous checkpoint intact."""
    torch.save(state, path + ".tmp")
    os.replace(path + ".tmp", path)


def auc(scores: np.ndarray, labels: np.ndarray):
    """Mann-Whitney AUC with ties counted half (labels 1 and 0); None when one class is missing.
    By average ranks, so it stays fast for the speck stage's hundred thousand marks."""
    pos = labels == 1
    n_pos, n_neg = int(pos.sum()), int((labels == 0).sum())
    if n_pos == 0 or n_neg == 0:
        return None
    _, inverse, counts = np.unique(scores, return_inverse=True, return_counts=True)
    ends = np.cumsum(counts)
    ranks = (ends - (counts - 1) / 2)[inverse]  # 1-based, ties share their mean rank
    return float((ranks[pos].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))
