"""The course's look in one place (PhET keeps its colours and fonts in one constants file): the Okabe-Ito palette,
the greys, translucent fills, font sizes and the readout's style. Figures, controls, explorables and widgets take
their colours from here; nothing else writes a hex value.
"""
from __future__ import annotations

# Okabe & Ito (2008), "Color Universal Design": distinguishable with every common colour-vision deficiency.
OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
    "grey": "#999999",
}
COLOURS = OKABE_ITO  # short alias used by the figure builders

# Greys by role. Text greys reach 4.5:1 on white (#555 is 7.5:1, #444 9.7:1, #222 16:1).
GREYS = {
    "text": "#222",            # words on a coloured border (badges): dark, whatever the border's colour
    "muted": "#555",           # secondary words: region titles, notes, sources
    "axis": "#444",            # axis lines and figure annotations
    "outline": "#666",         # icon outlines
    "border": "#ccc",          # boxes around groups of controls
    "grid": "#e5e5e5",         # figure grid lines
    "neutral": "#d9d9d9",      # 'neither' icons: no relief, no effect
    "ink": "#333333",          # the junction schematic's outlines and labels
    "ink_dark": "#222222",     # the junction schematic's title words
    "white": "#ffffff",
}

# Pale fills of the junction schematic (notebook 02), each under dark outlines, and the EULAR ladder's light
# vermillion for 'weak against' (between the palette's sky blue and vermillion).
SCHEMATIC = {
    "terminal": "#F2F2F2",         # nerve terminal and axon
    "muscle": "#F4B183",           # muscle fibre
    "muscle_weak": "#FBE3D6",      # a weakened muscle fibre
    "receptor": "#DDEFD9",         # acetylcholine receptors, vesicles
    "stuck": "#E5E5E5",            # a vesicle that cannot fuse
    "endosome": "#FFF5CC",
}
LIGHT_VERMILLION = "#E8A07A"
# A right quiz answer's button: white words on it reach 5.1:1 (Okabe-Ito's bluish green reaches only 3.2:1).
RIGHT_GREEN = "#2E7D32"

FONT_SIZES = {"title": 16, "body": 14, "label": 13, "small": 12}

# The readout under a figure (``widgets.Readout``): a line length that reads well and a size a projector shows.
READOUT_CSS = ".course-readout { font-size: 15px; line-height: 1.45; max-width: 900px; margin-top: 6px; }"


def fill(colour: str, opacity: float) -> str:
    """A palette colour as a translucent fill: ``fill(COLOURS["bluish_green"], 0.18)`` -> ``'rgba(0,158,115,0.18)'``."""
    red, green, blue = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgba({red},{green},{blue},{opacity:g})"
