"""A compact store for many figure states that share most of their parts.

States are first put in the course figure's wire format (``helpers.widgets.state.to_wire``: numeric arrays as
``{"dtype", "shape", "buffer"}``). Every numeric array goes once into one binary file (identical arrays, such as
a time axis shared by all frames, are stored once), and every dict or list whose JSON is longer than a few
bytes goes once into a table of nodes (a layout shared by 200 frames is stored once); a repeated part is
written as ``{"$r": index}``. ``tools/site/static/site.js`` (``unpack``) turns ``{"$b": [offset, bytes]}`` back
into the ``{"dtype", "shape", "buffer": DataView}`` that the figure's own decoder (helpers/widgets/live.js) reads.
"""
from __future__ import annotations

import hashlib
import json
from typing import Any

from helpers.widgets.state import to_wire

MIN_SHARED = 48  # JSON characters: smaller parts are written in place (a reference would cost as much)


class Pack:
    def __init__(self) -> None:
        self.nodes: list = []
        self._node_index: dict[str, int] = {}
        self.blob = bytearray()
        self._array_index: dict[bytes, int] = {}

    def add(self, value: Any) -> Any:
        """``value`` (figure states, frames, readout HTML, plain JSON) in packed form."""
        return self._encode(to_wire(value))

    def _encode(self, value: Any) -> Any:
        if isinstance(value, dict):
            if isinstance(value.get("buffer"), memoryview) and "dtype" in value:
                return {"dtype": value["dtype"], "shape": value["shape"], "$b": self._array(value["buffer"].tobytes())}
            return self._share({key: self._encode(item) for key, item in value.items()})
        if isinstance(value, list):
            return self._share([self._encode(item) for item in value])
        return value

    def _array(self, data: bytes) -> list:
        digest = hashlib.sha1(data).digest()
        if digest not in self._array_index:
            while len(self.blob) % 8:  # Float64Array views need 8-byte alignment
                self.blob.append(0)
            self._array_index[digest] = len(self.blob)
            self.blob.extend(data)
        return [self._array_index[digest], len(data)]

    def _share(self, node: Any) -> Any:
        text = json.dumps(node, separators=(",", ":"), sort_keys=True, allow_nan=False)
        if len(text) < MIN_SHARED:
            return node
        if text not in self._node_index:
            self._node_index[text] = len(self.nodes)
            self.nodes.append(node)
        return {"$r": self._node_index[text]}

    def document(self, root: Any) -> dict:
        """The JSON document: the root (packed) and the node table; the arrays are in :attr:`blob`."""
        return {"root": root, "nodes": self.nodes}
