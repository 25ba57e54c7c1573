"""Draws the app's PNG icons from the same shapes as pwa/static/icons/icon.svg (a tolbooth
tower on Scottish Government blue): `python pwa/icons/make_icons.py`.

The PNGs are committed (pwa/static/icons/), so neither the build nor the server needs
Pillow's drawing code; run this again only when the design changes.

- icon-192.png, icon-512.png: purpose "any", the rounded square of the SVG.
- icon-maskable-512.png: purpose "maskable", full-bleed background, and the tower drawn
  at 75% so every point stays inside the central circle of radius 40% that platforms
  promise never to crop (https://w3c.github.io/manifest/#icon-masks). The check at the
  bottom fails loudly if a change to the shapes breaks that.
"""

from __future__ import annotations

import math
from pathlib import Path

from PIL import Image, ImageDraw

OUT = Path(__file__).resolve().parent.parent / "static" / "icons"
BLUE = (0, 101, 189, 255)  # SGDS $ds_colour__blue, #0065bd: also the manifest theme colour
WHITE = (255, 255, 255, 255)
SUPERSAMPLE = 4  # drawn large, then reduced: Pillow's shapes have no anti-aliasing
# The SVG's shapes in its 64 x 64 viewBox.
TOWER = [(32, 8), (39, 20), (36, 20), (36, 26), (42, 26), (42, 56), (22, 56), (22, 26),
         (28, 26), (28, 20), (25, 20)]
DOOR = (28, 42, 36, 56)
CLOCK = (32, 33, 4)
SAFE_RADIUS = 0.4  # of the icon's size, around its centre
MASKABLE_SCALE = 0.75


def draw(size: int, maskable: bool) -> Image.Image:
    big = size * SUPERSAMPLE
    unit = big / 64
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    if maskable:
        pen.rectangle((0, 0, big, big), fill=BLUE)
    else:
        pen.rounded_rectangle((0, 0, big - 1, big - 1), radius=12 * unit, fill=BLUE)
    scale = MASKABLE_SCALE if maskable else 1.0

    def at(x: float, y: float) -> tuple[float, float]:
        return ((32 + (x - 32) * scale) * unit, (32 + (y - 32) * scale) * unit)

    pen.polygon([at(x, y) for x, y in TOWER], fill=WHITE)
    pen.rectangle((*at(DOOR[0], DOOR[1]), *at(DOOR[2], DOOR[3])), fill=BLUE)
    cx, cy = at(CLOCK[0], CLOCK[1])
    r = CLOCK[2] * scale * unit
    pen.ellipse((cx - r, cy - r, cx + r, cy + r), fill=BLUE)
    return image.resize((size, size), Image.Resampling.LANCZOS)


def farthest_white_pixel(image: Image.Image) -> float:
    """Distance from the centre of the farthest mostly-white pixel, as a share of size."""
    size = image.width
    centre = (size - 1) / 2
    pixels = image.load()
    assert pixels is not None
    farthest = 0.0
    for y in range(size):
        for x in range(size):
            r, g, b, _a = pixels[x, y]
            if min(r, g, b) > 200:
                farthest = max(farthest, math.hypot(x - centre, y - centre))
    return farthest / size


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for name, size, maskable in (("icon-192.png", 192, False), ("icon-512.png", 512, False),
                                 ("icon-maskable-512.png", 512, True)):
        image = draw(size, maskable)
        if maskable and farthest_white_pixel(image) > SAFE_RADIUS:
            raise SystemExit(f"{name}: the tower leaves the maskable safe zone")
        image.save(OUT / name, optimize=True)
        print(f"{OUT / name}: {size}x{size}, {(OUT / name).stat().st_size} bytes")


if __name__ == "__main__":
    main()
