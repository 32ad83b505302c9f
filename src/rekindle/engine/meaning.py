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
from importlib.util import find_spec
from pathlib import Path
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
        counts = lengths[rows]
        starts = np.concatenate(([0], np.cumsum(counts)[:-1]))
        # summed token by token across all texts at once (one step per position, at most
        # MAX_TOKENS), each step widening only the rows it adds: much quicker than a sum per
        # text over a widened copy of every token's row
        sums = self.table[flat[starts]].astype(np.float32)
        for k in range(1, int(counts.max())):
            longer = np.flatnonzero(counts > k)
            sums[longer] += self.table[flat[starts[longer] + k]]
        norms = np.linalg.norm(sums, axis=1, keepdims=True)
        out[rows] = sums / np.where(norms > 0, norms, 1.0)
        return out


def _model_files() -> tuple[Path, Path] | None:
    """The shipped model's (weights, tokenizer), found without importing the package (which
    loads its own model code: a third of a second of a plan with a goal); None without them."""
    spec = find_spec("wordllama")
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(next(iter(spec.submodule_search_locations)))
    weights, tokenizer = folder / WEIGHTS, folder / TOKENIZER
    return (weights, tokenizer) if weights.is_file() and tokenizer.is_file() else None


def model_state() -> str:
    """Which model :func:`text_vectors` would load ("none" without one), without loading it:
    what a kept goal match was compared by meaning with."""
    files = _model_files()
    if files is None or find_spec("safetensors") is None or find_spec("tokenizers") is None:
        return "none"
    found = files[0].stat()
    return f"{files[0].name}:{found.st_size}:{found.st_mtime_ns}"


@lru_cache(maxsize=1)
def text_vectors() -> TextVectors | None:
    """The shipped model, loaded once per process; None when its package is not installed."""
    try:
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer
    except ImportError:
        return None
    files = _model_files()
    if files is None:
        return None
    weights, tokenizer = files
    table = next(iter(load_file(str(weights)).values()))
    return TextVectors(table, Tokenizer.from_file(str(tokenizer)))
