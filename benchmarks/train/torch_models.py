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


def dlc_init(encoder, linears):
    """Initializes as dlc's stdlib does: every weight matrix of ENCODER's
    nn.TransformerEncoderLayers and of the LINEARS Xavier uniform (the
    attention's q, k and v projections each with their own limit, as three
    Linear(d, d)), every bias zero."""
    def linear(lin):
        torch.nn.init.xavier_uniform_(lin.weight)
        lin.bias.zero_()

    with torch.no_grad():
        for blk in encoder.layers:
            for w in blk.self_attn.in_proj_weight.chunk(3):
                torch.nn.init.xavier_uniform_(w)
            blk.self_attn.in_proj_bias.zero_()
            for lin in (blk.self_attn.out_proj, blk.linear1, blk.linear2):
                linear(lin)
        for lin in linears:
            linear(lin)


class BERT(torch.nn.Module):
    """examples/bert_mini.dl: token, position and segment embeddings (all
    N(0, 0.02)) summed, `layers` x nn.TransformerEncoderLayer(d, heads, 4 d,
    dropout 0, gelu, batch_first, norm_first) with the padding keys masked
    (src_key_padding_mask = mask == 0) and a final LayerNorm: stdlib's
    PaddedTransformerBlock x + attn(ln(x)), x + mlp(ln(x)). The MLM head is
    Linear d -> d, GELU, LayerNorm, then the token table transposed plus a
    bias (tied); the NSP head a tanh pooler of position 0 and Linear d -> 2.
    Every weight matrix is initialized as stdlib's Linear (glorot(): Xavier
    uniform per d x d projection, so q, k and v each get their own limit)
    and every bias is zero, as in dlc (PyTorch's defaults differ)."""

    def __init__(self, vocab=99, context=64, d=128, heads=4, layers=4):
        super().__init__()
        self.vocab = vocab
        self.tok = torch.nn.Parameter(torch.randn(vocab, d) * 0.02)
        self.positions = torch.nn.Parameter(torch.randn(context, d) * 0.02)
        self.seg = torch.nn.Parameter(torch.randn(2, d) * 0.02)
        layer = torch.nn.TransformerEncoderLayer(
            d, heads, 4 * d, dropout=0.0, activation="gelu", batch_first=True,
            norm_first=True)
        self.blocks = torch.nn.TransformerEncoder(
            layer, layers, norm=torch.nn.LayerNorm(d), enable_nested_tensor=False)
        self.mlm_fc = torch.nn.Linear(d, d)
        self.mlm_ln = torch.nn.LayerNorm(d)
        self.mlm_bias = torch.nn.Parameter(torch.zeros(vocab))
        self.pooler = torch.nn.Linear(d, d)
        self.nsp_head = torch.nn.Linear(d, 2)
        dlc_init(self.blocks, (self.mlm_fc, self.pooler, self.nsp_head))

    def forward(self, ids, segments, mask):
        """(mlm logits [B, T, vocab], nsp logits [B, 2])."""
        h = self.tok[ids] + self.positions[: ids.shape[1]] + self.seg[segments]
        h = self.blocks(h, src_key_padding_mask=mask == 0)
        t = self.mlm_ln(torch.nn.functional.gelu(self.mlm_fc(h)))
        mlm = t @ self.tok.t() + self.mlm_bias
        nsp = self.nsp_head(torch.tanh(self.pooler(h[:, 0])))
        return mlm, nsp
