"""The demo week's pictures, drawn here with Pillow: maps of the invented front and a chart.
Nothing is taken from the web; every run draws the same pixels."""

from __future__ import annotations

import io
import math
from collections.abc import Callable

from PIL import Image, ImageDraw, ImageFont

WIDTH, HEIGHT = 1600, 1000
LAND, WATER, RIVER = (236, 230, 214), (176, 203, 222), (120, 160, 200)
NORTH, SOUTH = (222, 211, 186), (214, 222, 200)  # Northmark, Vessary
INK, RED, BLUE, GREY = (40, 40, 44), (170, 30, 30), (30, 70, 150), (120, 116, 108)

# The invented valley, in map pixels: the Kalder runs west to east and is the border.
RIVER_LINE = [(0, 520), (220, 500), (420, 545), (640, 515), (860, 560), (1080, 530),
              (1300, 575), (1600, 545)]  # fmt: skip
TOWNS = {
    "Tolsk": (360, 330), "Merrin Gap": (980, 300), "Port Arveld": (1330, 230),
    "Kalder Bridge": (640, 515), "Orsa Ford": (1080, 530), "Vessmoor": (760, 800),
}  # fmt: skip


def _font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.load_default(size=size)


def _base(title: str) -> tuple[Image.Image, ImageDraw.ImageDraw]:
    image = Image.new("RGB", (WIDTH, HEIGHT), LAND)
    draw = ImageDraw.Draw(image)
    draw.polygon([(0, 0), (WIDTH, 0), *reversed(RIVER_LINE)], fill=NORTH)
    draw.polygon([(0, HEIGHT), (WIDTH, HEIGHT), *reversed(RIVER_LINE)], fill=SOUTH)
    draw.polygon([(1250, 0), (WIDTH, 0), (WIDTH, 160), (1380, 120)], fill=WATER)  # the estuary
    draw.line(RIVER_LINE, fill=RIVER, width=14, joint="curve")
    for name, (x, y) in TOWNS.items():
        draw.ellipse((x - 9, y - 9, x + 9, y + 9), fill=INK)
        draw.text((x + 16, y - 14), name, fill=INK, font=_font(30))
    draw.text((40, 60), "NORTHMARK", fill=GREY, font=_font(44))
    draw.text((40, 900), "VESSARY", fill=GREY, font=_font(44))
    draw.text((WIDTH - 420, HEIGHT - 70), "Kalder River (border)", fill=BLUE, font=_font(28))
    draw.rectangle((0, 0, WIDTH, 44), fill=(250, 248, 242))
    draw.text((20, 6), title, fill=INK, font=_font(30))
    return image, draw


def _arrow(draw, start, end, colour, width=12):
    draw.line([start, end], fill=colour, width=width)
    angle = math.atan2(end[1] - start[1], end[0] - start[0])
    left = (end[0] - 40 * math.cos(angle - 0.45), end[1] - 40 * math.sin(angle - 0.45))
    right = (end[0] - 40 * math.cos(angle + 0.45), end[1] - 40 * math.sin(angle + 0.45))
    draw.polygon([end, left, right], fill=colour)


def armour_map() -> Image.Image:
    image, draw = _base("Armour reported moving toward the Kalder crossings")
    for start, end in [((700, 880), (650, 600)), ((1150, 860), (1090, 610)),
                       ((420, 900), (600, 620))]:  # fmt: skip
        _arrow(draw, start, end, RED)
    for x, y in (TOWNS["Kalder Bridge"], TOWNS["Orsa Ford"]):
        draw.ellipse((x - 40, y - 40, x + 40, y + 40), outline=RED, width=6)
    draw.text((40, 960), "Red arrows: reported movements, not confirmed", fill=RED, font=_font(26))
    return image


def pullback_map() -> Image.Image:
    image, draw = _base("The artillery pull-back the monitors describe")
    for offset, colour in ((-160, BLUE), (190, RED)):  # each side's line, 15 km back
        line = [(x, y + offset) for x, y in RIVER_LINE]
        for a, b in zip(line, line[1:], strict=False):
            draw.line([a, b], fill=colour, width=6)
    draw.text((40, 300), "Northmark guns behind this line", fill=BLUE, font=_font(28))
    draw.text((40, 760), "Vessary guns behind this line", fill=RED, font=_font(28))
    return image


def power_map() -> Image.Image:
    image, draw = _base("Districts without power after the dam line failed")
    overlay = Image.new("RGBA", image.size, (0, 0, 0, 0))
    shade = ImageDraw.Draw(overlay)
    for box in ((760, 120, 1240, 480), (1240, 160, 1600, 500)):
        shade.rectangle(box, fill=(60, 60, 70, 110))
    image.paste(overlay, (0, 0), overlay)
    draw = ImageDraw.Draw(image)
    draw.line([(300, 120), (1000, 180), (1500, 140)], fill=INK, width=5)  # the dam line
    draw.text((300, 80), "Dam line (high voltage)", fill=INK, font=_font(26))
    draw.text((800, 440), "No power, evening of day 3", fill=(250, 250, 250), font=_font(28))
    return image


WHEAT = [212, 214, 219, 231, 238, 236, 249, 262, 258, 271, 284, 297]  # per tonne, invented


def wheat_chart() -> Image.Image:
    image = Image.new("RGB", (WIDTH, HEIGHT), (252, 250, 245))
    draw = ImageDraw.Draw(image)
    left, top, right, bottom = 160, 120, WIDTH - 80, HEIGHT - 140
    low, high = 200, 300
    draw.text((left, 40), "Wheat at the Port Arveld exchange, last twelve sessions",
              fill=INK, font=_font(36))  # fmt: skip
    for value in range(low, high + 1, 20):
        y = bottom - (value - low) / (high - low) * (bottom - top)
        draw.line([(left, y), (right, y)], fill=(225, 220, 210), width=2)
        draw.text((40, y - 16), f"{value}", fill=GREY, font=_font(28))
    step = (right - left) / (len(WHEAT) - 1)
    points = [(left + i * step, bottom - (v - low) / (high - low) * (bottom - top))
              for i, v in enumerate(WHEAT)]  # fmt: skip
    draw.line(points, fill=RED, width=8, joint="curve")
    for x, y in points:
        draw.ellipse((x - 10, y - 10, x + 10, y + 10), fill=RED)
    draw.text((left, bottom + 30), "Sessions, oldest to newest (price per tonne, in marks)",
              fill=GREY, font=_font(28))  # fmt: skip
    return image


def png(draw: Callable[[], Image.Image]) -> bytes:
    out = io.BytesIO()
    draw().save(out, "PNG")
    return out.getvalue()
