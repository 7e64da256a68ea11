"""Per-speck counts on one patch: a true speck (8-connected component of target == 1) is found when
the predicted mask touches it; a predicted component that touches no true speck and lies not wholly
on "ignore" pixels is a false mark."""
import numpy as np


def label_components(mask: np.ndarray):
    """8-connected labelling by flood fill (patches are small; no scipy on the training host)."""
    labels = np.zeros(mask.shape, np.int32)
    n = 0
    h, w = mask.shape
    for sy, sx in zip(*np.nonzero(mask)):
        if labels[sy, sx]:
            continue
        n += 1
        stack = [(sy, sx)]
        labels[sy, sx] = n
        while stack:
            y, x = stack.pop()
            for dy in (-1, 0, 1):
                for dx in (-1, 0, 1):
                    yy, xx = y + dy, x + dx
                    if 0 <= yy < h and 0 <= xx < w and mask[yy, xx] and not labels[yy, xx]:
                        labels[yy, xx] = n
                        stack.append((yy, xx))
    return labels, n


def speck_detection_counts(prob: np.ndarray, target: np.ndarray, threshold: float):
    pred = prob >= threshold
    true_labels, n_true = label_components(target == 1)
    hits = len(set(np.unique(true_labels[pred])) - {0})
    pred_labels, n_pred = label_components(pred)
    false_marks = 0
    for k in range(1, n_pred + 1):
        region = pred_labels == k
        if (target[region] == 1).any() or (target[region] == 255).all():
            continue
        false_marks += 1
    return hits, n_true, false_marks
