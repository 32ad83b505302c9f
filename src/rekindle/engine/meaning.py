"""What a short text means, as a vector, from a word-embedding model that ships in a package.

The model is WordLlama's "L2 supercat" table: 32,000 tokens by 256 dimensions, trained to place
texts of like meaning near each other. The ``wordllama`` package ships the table and its tokenizer
inside its wheel, so nothing is downloaded: we read those two files ourselves and never call the
package's own loader (which may fetch missing files from the internet). A text's vector is the
mean of its tokens' vectors, normalised; two texts are alike by the cosine of their vectors
("teaching" and "education" 0.54, "payments / banking" and "Bank treasury operations" 0.49,
"health care" and "Wedding photographer" below 0.05).

Without the package installed, :func:`text_vectors` gives None and a goal matches by words alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np

#: the files of the model inside the ``wordllama`` package
WEIGHTS = "weights/l2_supercat_256.safetensors"
TOKENIZER = "tokenizers/l2_supercat_tokenizer_config.json"
#: a text longer than this is cut before it is read (bounds the work on hostile input)
MAX_CHARS = 400
#: and at most this many of its tokens count
MAX_TOKENS = 96


class TextVectors:
    """Turns texts into unit vectors with the shipped table (float16, widened as rows are read)."""

    def __init__(self, table: Any, tokenizer: Any):
        self.table = table
        self.tokenizer = tokenizer
        self.dimensions = int(table.shape[1])

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """One row per text: the mean of its tokens' vectors, of length 1 (zeros for no token)."""
        import numpy as np

        out = np.zeros((len(texts), self.dimensions), dtype=np.float32)
        if not texts:
            return out
        encodings = self.tokenizer.encode_batch(
            [t[:MAX_CHARS] for t in texts], add_special_tokens=False
        )
        ids = [e.ids[:MAX_TOKENS] for e in encodings]
        lengths = np.array([len(i) for i in ids])
        rows = np.flatnonzero(lengths)
        if not len(rows):
            return out
        flat = np.fromiter((t for i in ids for t in i), dtype=np.int64, count=int(lengths.sum()))
        starts = np.concatenate(([0], np.cumsum(lengths[rows])[:-1]))
        sums = np.add.reduceat(self.table[flat].astype(np.float32), starts, axis=0)
        norms = np.linalg.norm(sums, axis=1, keepdims=True)
        out[rows] = sums / np.where(norms > 0, norms, 1.0)
        return out


@lru_cache(maxsize=1)
def text_vectors() -> TextVectors | None:
    """The shipped model, loaded once per process; None when its package is not installed."""
    try:
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        package = resources.files("wordllama")
    except ImportError:
        return None
    weights, tokenizer = package.joinpath(WEIGHTS), package.joinpath(TOKENIZER)
    if not (weights.is_file() and tokenizer.is_file()):
        return None
    with resources.as_file(weights) as w, resources.as_file(tokenizer) as t:
        table = next(iter(load_file(str(w)).values()))
        return TextVectors(table, Tokenizer.from_file(str(t)))
