"""benchmarks/train/torch_models.py - what the PyTorch peers share: the GPT of
examples/gpt_mini.dl and the train-step timer of train_step_dlc.cpp."""
import time

import torch


class GPT(torch.nn.Module):
    """examples/gpt_mini.dl: token and learned position embeddings (N(0, 1),
    N(0, 0.02)), `layers` x nn.TransformerEncoderLayer(d, heads, 4 d,
    dropout 0, gelu, batch_first, norm_first) with a causal mask, LayerNorm,
    Linear d -> vocab."""

    def __init__(self, vocab=128, context=64, d=128, heads=4, layers=4):
        super().__init__()
        self.tokens = torch.nn.Embedding(vocab, d)
        self.positions = torch.nn.Parameter(torch.randn(context, d) * 0.02)
        layer = torch.nn.TransformerEncoderLayer(
            d, heads, 4 * d, dropout=0.0, activation="gelu", batch_first=True,
            norm_first=True)
        self.blocks = torch.nn.TransformerEncoder(layer, layers,
                                                  enable_nested_tensor=False)
        self.ln = torch.nn.LayerNorm(d)
        self.head = torch.nn.Linear(d, vocab)
        self.register_buffer(
            "mask",
            torch.triu(torch.full((context, context), float("-inf")), diagonal=1))

    def forward(self, ids):
        h = self.blocks(self.tokens(ids) + self.positions, mask=self.mask)
        return self.head(self.ln(h))


def median_step_ms(step, steps):
    """As train_step_dlc.cpp: 3 warm-up calls of `step`, then 5 rounds of
    `steps` calls; the median round's time per call in ms and its seconds."""
    for _ in range(3):
        step()
    rounds = []
    for _ in range(5):
        t0 = time.perf_counter()
        for _ in range(steps):
            step()
        rounds.append(time.perf_counter() - t0)
    rounds.sort()
    return rounds[2] / steps * 1e3, rounds[2]
