"""The course's own widgets (anywidget): a figure whose synced state is the whole figure, a readout and a
slider that let the browser swap frames computed ahead while a slider is moved. Their JavaScript sits beside
them; plotly.js comes from the plotly package (no CDN). ``AriaStates`` gives ipywidgets' buttons in an
explorable their ARIA states."""
from .aria import AriaStates
from .figure import Figure, PlotlyLibrary, Readout
from .slider import IntegerSlider, Slider

__all__ = ["AriaStates", "Figure", "IntegerSlider", "PlotlyLibrary", "Readout", "Slider"]
