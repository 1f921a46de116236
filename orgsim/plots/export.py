"""Writing figures to disk and to memory, so a reader never finds half an image.

Each file is written under a temporary name in its own directory and renamed
into place: an interrupted save leaves the previous figure (or nothing), never
a truncated PNG that a report would embed.
"""

from __future__ import annotations

import functools
import io
import os
from pathlib import Path
from typing import IO, Any

import matplotlib as mpl
from matplotlib.figure import Figure

from orgsim.experiment.output import atomic_write
from orgsim.plots.style import STYLE

FORMATS = ("png", "svg")


def save_figure(fig: Figure, directory: str | os.PathLike[str], name: str) -> dict[str, Path]:
    """Write ``fig`` as ``name.png`` and ``name.svg`` in ``directory``; returns ``{format: path}``.

    The directory is created if needed; existing files of that name are replaced.
    """
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    written = {}
    for fmt in FORMATS:
        target = folder / f"{name}.{fmt}"
        atomic_write(target, functools.partial(_render, fig, fmt=fmt), binary=True)
        written[fmt] = target
    return written


def png_bytes(fig: Figure, dpi: float = 110) -> bytes:
    """``fig`` as PNG bytes, for embedding in a report."""
    stream = io.BytesIO()
    _render(fig, stream, "png", dpi)
    return stream.getvalue()


def _render(fig: Figure, stream: IO[Any], fmt: str, dpi: float | None = None) -> None:
    """Save inside the orgsim style, so save-time settings (dpi, colours) are ours too.

    SVG gets no date stamp: a figure file should change when its picture does.
    """
    metadata = {"Date": None} if fmt == "svg" else None
    with mpl.rc_context(STYLE):
        fig.savefig(stream, format=fmt, dpi=dpi, metadata=metadata)
