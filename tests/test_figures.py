"""The course figure widget keeps its last edit message (see CourseFigureWidget), so no edit is lost."""
from __future__ import annotations

from helpers.figures.theme import figure_widget


def test_last_edit_message_survives_instead_of_being_reset_to_none():
    figure = figure_widget("t", "x (days)", "y (points)")
    figure.add_scatter(x=[0, 1, 2], y=[1, 2, 3])
    with figure.batch_update():
        figure.data[0].y = [3, 2, 1]
    message = figure._py2js_update
    assert message, "the edit message was reset: a frontend that reads it late would drop the edit"
    assert message["style_data"]["y"] == [[3, 2, 1]]
    with figure.batch_update():
        figure.data[0].y = [5, 5, 5]
    assert figure._py2js_update["style_data"]["y"] == [[5, 5, 5]]
    assert figure._py2js_update["trace_edit_id"] > message["trace_edit_id"], "each edit must carry a new id"
