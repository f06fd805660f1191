"""Saving a figure: a 300 dpi PNG and a byte-for-byte reproducible SVG (:func:`save_figure`)."""

from __future__ import annotations

import io
from pathlib import Path

import matplotlib
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from analyse.plots.style import PLAIN_TEXT, Drawn, freeze_layout


PNG_DPI = 300


SVG_HASHSALT = "integratie-analyse"


def save_figure(fig: Figure | Drawn, directory: Path, name: str) -> dict[str, Path]:
    """Write ``<name>.png`` (300 dpi) and ``<name>.svg`` to ``directory`` (created when needed).

    Accepts a figure or the :class:`Drawn` a figure function returns. Tight bounding box, so nothing
    is clipped; it is computed once and used for both formats (a "tight" save computes it again per
    format). The SVG is reproducible: the layout is computed once and then frozen, ``svg.hashsalt``
    is fixed and there is no date, so a rerun gives identical bytes. Mathtext is off while saving, so
    tick labels created now are drawn literally too. Returns ``{'png': ..., 'svg': ...}``.
    """
    if isinstance(fig, Drawn):
        fig = fig.figure
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    paths = {"png": directory / f"{name}.png", "svg": directory / f"{name}.svg"}
    with matplotlib.rc_context({"svg.hashsalt": SVG_HASHSALT, **PLAIN_TEXT}):
        # Constrained layout moves the axes by fractions of a point on every draw; lay out once and
        # freeze, so that every save of this figure (and of a rebuilt one) has the same geometry.
        freeze_layout(fig)
        bbox = fig.get_tightbbox(fig.canvas.get_renderer()).padded(matplotlib.rcParams["savefig.pad_inches"])
        _write_png(fig, paths["png"], bbox)
        fig.savefig(paths["svg"], bbox_inches=bbox, facecolor="white", metadata={"Date": None})
    return paths


def _write_png(fig: Figure, path: Path, bbox) -> None:
    """``fig`` cropped to ``bbox`` as a 300 dpi PNG without an alpha channel.

    The background is opaque white, so the alpha channel matplotlib writes would carry nothing: as RGB the
    file is smaller, quicker to write, and LibreOffice embeds it in the PDF without a soft mask.
    """
    from PIL import Image, PngImagePlugin

    canvas = fig.canvas if isinstance(fig.canvas, FigureCanvasAgg) else FigureCanvasAgg(fig)
    pixels = io.BytesIO()
    fig.savefig(pixels, format="rgba", dpi=PNG_DPI, bbox_inches=bbox, facecolor="white")
    width, height = int(canvas.renderer.width), int(canvas.renderer.height)
    if len(pixels.getbuffer()) != width * height * 4:  # never write an image of the wrong shape
        raise RuntimeError(f"figuur {path.name}: {len(pixels.getbuffer())} bytes voor {width} x {height} pixels")
    image = Image.frombuffer("RGBA", (width, height), pixels.getbuffer(), "raw", "RGBA", 0, 1).convert("RGB")
    info = PngImagePlugin.PngInfo()
    info.add_text("Software", f"Matplotlib version{matplotlib.__version__}, https://matplotlib.org/")
    image.save(path, format="png", dpi=(PNG_DPI, PNG_DPI), pnginfo=info)
