"""Small CNN that scores the image region of one calcification cluster: the malignancy log-odds of
the cluster centred in a 128 x 128 patch of the detector's input (70 um, about 9 mm across).

Why this shape: the measures the classifier already has (count, size and contrast variation,
elongation, layout) are taken from the detector's blurred specks; the shapes themselves (a fine
branching line against a round dot) are in the pixels. Five levels down to 8 x 8, then the mean and
the maximum of the last feature map: the maximum lets one linear branch decide, the mean weighs how
many there are. Full resolution keeps one narrow convolution (specks are 1.5-15 px).
"""
import torch
from torch import nn

from detector_net import ConvBnRelu, SeparableConv


class ClusterRegionNet(nn.Module):
    """Input N x 1 x S x S (S a multiple of 16; 128 in training), output N x 1 malignancy logits."""

    def __init__(self, widths=(8, 16, 32, 48, 64)):
        super().__init__()
        self.widths = tuple(widths)
        c1, c2, c3, c4, c5 = widths
        self.features = nn.Sequential(
            ConvBnRelu(1, c1),
            ConvBnRelu(c1, c2, stride=2),
            SeparableConv(c2, c2),
            ConvBnRelu(c2, c3, stride=2),
            SeparableConv(c3, c3),
            ConvBnRelu(c3, c4, stride=2),
            SeparableConv(c4, c4),
            ConvBnRelu(c4, c5, stride=2),
            SeparableConv(c5, c5),
        )
        self.dropout = nn.Dropout(0.3)
        self.head = nn.Linear(2 * c5, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        f = self.features(x)
        pooled = torch.cat([f.mean(dim=(2, 3)), f.amax(dim=(2, 3))], dim=1)
        return self.head(self.dropout(pooled))


def export_onnx(model: ClusterRegionNet, path: str, size: int, opset: int = 13) -> None:
    """ONNX with a dynamic batch: input 'image' N x 1 x size x size, output 'malignancy_logit' N x 1."""
    import warnings

    warnings.filterwarnings("ignore", category=UserWarning)  # torch 1.13 shape-inference chatter
    model.eval()
    torch.onnx.export(
        model,
        torch.zeros(1, 1, size, size),
        path,
        opset_version=opset,
        input_names=["image"],
        output_names=["malignancy_logit"],
        dynamic_axes={"image": {0: "batch"}, "malignancy_logit": {0: "batch"}},
        do_constant_folding=True,
    )
