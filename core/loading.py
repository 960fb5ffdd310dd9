"""Loading what lives as long as the process (the application's modules, the gazetteer): about
a million objects, over which the cyclic garbage collector's passes cost more than making them
(the gazetteer: 2 s with them, 0.8 s without)."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused(*, freeze: bool = False) -> Iterator[None]:
    """The collector held off inside the block (nested blocks leave it to the outermost);
    `freeze`: what was loaded is then left out of its later passes (gc.freeze)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if freeze:
            gc.freeze()
        if enabled:
            gc.enable()
