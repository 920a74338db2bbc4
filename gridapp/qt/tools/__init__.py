"""Interactive map tools: small state machines over map-coordinate events."""

from gridapp.qt.tools.base import (
    IdentifyTool,
    MapEvent,
    MapTool,
    PanTool,
    SelectTool,
    ToolHost,
    ZoomBoxTool,
)

__all__ = [
    "IdentifyTool",
    "MapEvent",
    "MapTool",
    "PanTool",
    "SelectTool",
    "ToolHost",
    "ZoomBoxTool",
]
