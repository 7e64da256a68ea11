"""Small CNN that scores the image region of one calcification cluster: the malignancy log-odds of
the cluster centred in a 128 x 128 patch of the detector's input (70 um, about 9 mm across), or,
trained with --target presence, the log-odds that a cluster is there at all.

Why this shape: the measures the classifier already has (count, size and contrast variation,
elongation, layout) are taken from the detector's thresholded specks; the shapes themselves (a fine
branching line against a round dot) and the specks below the threshold are in the pixels. A CNN on
the raw patch did not learn them from 5 400 patches (validation AUC 0.55): finding CNR 3 specks in
tissue is what the detector was trained on with far more data. So the region CNN reads the frozen
detector's last full-resolution decoder map (12 channels that already say "speck here, this shape"),
then four strided levels down to 8 x 8 and the mean and maximum of that map: the maximum lets one
branching segment decide, the mean weighs how many specks there are.
"""
import torch
from torch import nn

from detector_net import TORCHSCRIPT_EXPORTER, CalcificationNet, ConvBnRelu, SeparableConv, detector_state, has_local_contrast


class ClusterRegionNet(nn.Module):
    """Input N x 1 x S x S (S a multiple of 16; 128 in training), output N x 1 logits."""

    def __init__(self, detector_widths=(12, 24, 48, 64), widths=(24, 48, 64, 96), detector_local_contrast: bool = False):
        super().__init__()
        self.detector_widths = tuple(detector_widths)
        self.widths = tuple(widths)
        self.detector = CalcificationNet(detector_widths, local_contrast=detector_local_contrast)
        for p in self.detector.parameters():
            p.requires_grad_(False)
        c1, c2, c3, c4 = widths
        self.features = nn.Sequential(
            ConvBnRelu(detector_widths[0], c1, stride=2),
            SeparableConv(c1, c1),
            ConvBnRelu(c1, c2, stride=2),
            SeparableConv(c2, c2),
            ConvBnRelu(c2, c3, stride=2),
            SeparableConv(c3, c3),
            ConvBnRelu(c3, c4, stride=2),
            SeparableConv(c4, c4),
        )
        self.dropout = nn.Dropout(0.3)
        self.head = nn.Linear(2 * c4, 1)

    def load_detector(self, path: str) -> None:
        ck = torch.load(path, map_location="cpu", weights_only=False)
        if tuple(ck.get("widths", ())) != self.detector_widths:
            raise ValueError(f"{path}: detector widths {ck.get('widths')}, expected {self.detector_widths}")
        if has_local_contrast(ck["model"]) != self.detector.local_contrast:
            raise ValueError(f"{path}: the detector's local-contrast input does not match this network's")
        state = detector_state(ck["model"])
        self.detector.load_state_dict(state, strict=True)

    def train(self, mode: bool = True):
        super().train(mode)
        self.detector.eval()  # frozen, BatchNorm statistics included
        return self

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        with torch.no_grad():
            d1 = self.detector.decoder_maps(x)[1]
        f = self.features(d1)
        pooled = torch.cat([f.mean(dim=(2, 3)), f.amax(dim=(2, 3))], dim=1)
        return self.head(self.dropout(pooled))


def export_onnx(model: ClusterRegionNet, path: str, size: int, output: str = "malignancy_logit", opset: int = 13) -> None:
    """ONNX with a dynamic batch: input 'image' N x 1 x size x size, output `output` N x 1."""
    import warnings

    warnings.filterwarnings("ignore", category=UserWarning)  # torch 1.13 shape-inference chatter
    model.eval()
    torch.onnx.export(
        model,
        torch.zeros(1, 1, size, size),
        path,
        opset_version=opset,
        input_names=["image"],
        output_names=[output],
        dynamic_axes={"image": {0: "batch"}, output: {0: "batch"}},
        do_constant_folding=True,
        **TORCHSCRIPT_EXPORTER,
    )
