"""Writes the ONNX file of a detector checkpoint (a .pt of train:detector or train:centre-head).

  npm run export:detector -- --weights models/mammocad-calc-detector.pt --out models/mammocad-calc-detector.onnx

The training scripts export when they finish; this re-exports without training, e.g. after the
ONNX contract changed (0.3.4: the centre head's output became 'centre_logits' at its own resolution).
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from detector_net import CalcificationNet, export_onnx, has_local_contrast  # noqa: E402
from train_common import check_weights, load_checkpoint, prepare_output  # noqa: E402

SCRIPT = "export_detector"


def main(argv):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--weights", required=True, help="checkpoint .pt with 'model' and 'widths'")
    p.add_argument("--out", required=True, help="ONNX file to write")
    args = p.parse_args(argv)
    prepare_output(SCRIPT, args.out)  # its folder is created, as the training scripts do
    checkpoint = load_checkpoint(SCRIPT, "--weights", args.weights)
    model = CalcificationNet(
        checkpoint.get("widths", (8, 16, 32)),  # 0.1-0.2 checkpoints carry no widths
        centre_head_depth=checkpoint.get("centreHeadDepth", -1),
        centre_head_half=checkpoint.get("centreHeadHalf", False),
        local_contrast=has_local_contrast(checkpoint["model"]),
    )
    check_weights(SCRIPT, "--weights", args.weights, model, checkpoint["model"])
    model.load_state_dict(checkpoint["model"])
    export_onnx(model, args.out)
    print(f"export_detector: wrote {args.out}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
