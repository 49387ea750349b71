"""The pieces of the incident map as folium elements: each a small ``MacroElement`` (or ``Layer``)
holding a Jinja ``_template``, in folium's own style, so that ``geomap.mapping`` only composes them.
The templates (HTML, CSS and JavaScript) are the files of ``geomap/templates/``, one per element.

Nothing here reads article text unescaped: every string that came from an article is HTML-escaped
in ``geomap.mapping`` before it reaches an element, and every data blob goes through ``js_json``,
which also escapes ``<``, ``>`` and ``&`` so that a ``</script>`` in the data cannot end a script.
The JavaScript libraries (Leaflet, Leaflet.markercluster, leaflet.fullscreen, leaflet-minimap) are
the ones folium links; ``geomap.mapping`` inlines them from the folium-offline package.
"""

from __future__ import annotations

import functools
import html
import json
from pathlib import Path
from typing import Any, cast

import folium
import jinja2
from branca.element import Element, Figure, MacroElement
from folium.elements import JSCSSMixin
from folium.map import Layer
from folium.plugins import MarkerCluster
from folium.template import Environment, Template

#: Leaflet is the only library the base map needs; folium's other defaults (jQuery, Bootstrap,
#: Font Awesome, awesome-markers) serve icon fonts and jQuery popups, which geomap does not use.
LEAFLET_JS = ("leaflet", "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js")
LEAFLET_CSS = ("leaflet_css", "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.css")
MARKERCLUSTER_JS = (
    "markerclusterjs",
    "https://cdnjs.cloudflare.com/ajax/libs/leaflet.markercluster/1.1.0/leaflet.markercluster.js",
)
MARKERCLUSTER_CSS = [
    (
        "markerclustercss",
        "https://cdnjs.cloudflare.com/ajax/libs/leaflet.markercluster/1.1.0/MarkerCluster.css",
    ),
    (
        "markerclusterdefaultcss",
        "https://cdnjs.cloudflare.com/ajax/libs/leaflet.markercluster/1.1.0/MarkerCluster.Default.css",
    ),
]


#: folium's template environment (its ``tojavascript`` filter), reading ``geomap/templates/``.
_TEMPLATES = Environment(  # type: ignore[no-untyped-call]  # folium's Environment is not annotated
    loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates")
)
_TEMPLATES.template_class = Template


def _load(name: str) -> Template:
    """The template of one element, from ``geomap/templates/``."""
    return cast(Template, _TEMPLATES.get_template(name))  # a Template: the environment's template_class


def js_json(obj: Any) -> str:
    """JSON that is safe inside a ``<script>`` element and as a JavaScript expression."""
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


class _Raw(Element):
    """Markup already rendered, emitted as is."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = str(text)

    def render(self, **kwargs: Any) -> str:
        return self.text


class RawMacroElement(MacroElement):
    """A ``MacroElement`` whose rendered macros are put into the page as they are.

    branca's ``MacroElement.render`` wraps each macro's output in a new ``Element``, which compiles
    that output as a Jinja template again: data in it (article text such as ``{{ 7*7 }}`` or
    ``{% raw %}``) would be evaluated, and a 20 MB blob of markers would be lexed for nothing.
    """

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]  # branca's MacroElement.__init__ is not annotated

    # branca's MacroElement.render returns None too; Element.render's str is that of leaf elements
    def render(self, **kwargs: Any) -> None:  # type: ignore[override]
        figure = cast(Figure, self.get_root())  # elements render only inside a page (a Figure)
        module = self._template.module.__dict__
        for part, target in (("header", figure.header), ("html", figure.html), ("script", figure.script)):
            macro = module.get(part)
            if macro is not None:
                target.add_child(_Raw(macro(self, kwargs)), name=self.get_name())
        for element in self._children.values():
            element.render(**kwargs)


@functools.lru_cache(maxsize=65536)  # labels, places, article names and actors repeat a lot
def text_html(text: str) -> str:
    """Plain text as HTML: escaped, with braces as entities so no template engine reads it."""
    return html.escape(text).replace("{", "&#123;").replace("}", "&#125;")


class LeanMap(folium.Map):
    """A ``folium.Map`` that links only Leaflet itself (no jQuery, Bootstrap or icon fonts)."""

    default_js = [LEAFLET_JS]
    default_css = [LEAFLET_CSS]
    #: Whether ``geomap.mapping.save_map``/``map_html`` inline the assets by default.
    geomap_offline: bool = True

    def save(self, outfile: Any, close_file: bool = True, **kwargs: Any) -> None:
        """Write the page as ``geomap.save_map`` does: one file with every script and stylesheet
        inlined (unless the map was made with ``offline=False``); a path is written atomically."""
        from .mapping import map_html, save_map

        if isinstance(outfile, (str, Path)) or hasattr(outfile, "__fspath__"):
            save_map(self, outfile, offline=self.geomap_offline)
            return
        page = map_html(self, offline=self.geomap_offline)  # a file object
        data = page.encode("utf-8") if "b" in getattr(outfile, "mode", "") else page
        outfile.write(data)
        if close_file:
            outfile.close()


class PageStyle(RawMacroElement):
    """The page's own stylesheet and its ``<title>`` (escaped here)."""

    _template = _load("page_style.j2")

    def __init__(self, title: str | None = None) -> None:
        super().__init__()
        self._name = "PageStyle"
        self.title = title


class VectorLayer(Layer, RawMacroElement):
    """A GeoJSON layer drawn from data embedded once in the page.

    ``data_from`` reuses the data of another ``VectorLayer`` (country polygons serve as the base
    map, the outlines overlay and the minimap from one copy). ``packed`` data is polygons as
    delta-coded integer rings (``geomap.mapping._countries_packed``), unpacked in the page.
    """

    _template = _load("vector_layer.j2")

    def __init__(
        self,
        data: dict[str, Any] | None,
        name: str,
        style: dict[str, Any],
        *,
        overlay: bool = True,
        show: bool = True,
        data_from: VectorLayer | None = None,
        pane: str | None = None,
        control: bool = True,
        packed: bool = False,
        labels: list[tuple[float, float, str]] | None = None,
    ) -> None:
        super().__init__(name=name, overlay=overlay, show=show, control=control)
        self._name = "VectorLayer"
        self.data = js_json(data) if data is not None else None
        self.source = data_from
        self.packed = packed
        self.labels = js_json([[lat, lon, text_html(name)] for lat, lon, name in labels]) if labels else None
        self.style = style
        self.pane = pane

    @property
    def data_name(self) -> str:
        return (self.source.get_name() if self.source is not None else self.get_name()) + "_data"


class IncidentMarkers(JSCSSMixin, RawMacroElement):
    """Every incident marker, created in the browser from one JSON blob.

    The marker data (HTML-escaped tooltips and popup pieces, each distinct string once) sits in a
    ``<script type="application/json">`` element; the script builds one inline-SVG ``DivIcon``
    marker per incident and draws the shown ones through one shared ``MarkerCluster`` (nearby
    incidents of any type group into one disc instead of hiding each other). The ``FeatureGroup``
    of each type is what the layer control toggles: the markers shown are those of the ticked
    types passing the filter (dates, text, actor). It frames the dense core of the incidents
    (``payload["view"]``), puts labels at the map's edge for incidents out of view, keeps the state
    in the address's ``#`` and exposes ``window.geomap`` (map, layers, cluster, markers, filter,
    ``onChange`` for the panels that follow it, ``download``) for the other pieces and for tests.
    """

    _template = _load("incident_markers.j2")

    default_js = [MARKERCLUSTER_JS]
    default_css = MARKERCLUSTER_CSS

    def __init__(
        self, payload: dict[str, Any], groups: list[folium.FeatureGroup], cluster: MarkerCluster
    ) -> None:
        super().__init__()
        self._name = "IncidentMarkers"
        self.payload = js_json(payload)
        self.groups = groups
        self.cluster = cluster


class IncidentList(RawMacroElement):
    """The incident list (a side panel on wide screens, a drawer on phones): one row per shown
    incident with ``data-incident-id``, sortable and searchable, a row click flies to the marker;
    the downloads of what is shown (GeoJSON, CSV) and the permalink's sharing. On narrow screens it
    also folds the layer control (``control``) to its button. Built with ``textContent`` only."""

    _template = _load("incident_list.j2")

    def __init__(self, control: folium.LayerControl, narrow_px: int = 700) -> None:
        super().__init__()
        self._name = "IncidentList"
        self.control = control
        self.narrow_px = narrow_px


class PointLayer(Layer, RawMacroElement):
    """An overlay of reference points (border crossings, negotiation venues) from JSON rows.

    Each row is ``[lat, lon, icon_html, tooltip_html, popup_html]`` (escaped by the caller) for
    ``kind="icon"``, or ``[lat, lon, radius, tooltip_html, popup_html]`` drawn as a dashed ring
    for ``kind="ring"``.
    """

    _template = _load("point_layer.j2")

    def __init__(
        self,
        rows: list[list[Any]],
        name: str,
        *,
        kind: str,
        class_name: str,
        color: str = "#333",
        size: int = 20,
        show: bool = True,
        min_zoom: int = 0,
    ) -> None:
        super().__init__(name=name, overlay=True, show=show)
        self._name = "PointLayer"
        self.rows = js_json(rows)
        self.opts = {"kind": kind, "className": class_name, "color": color, "size": size, "minZoom": min_zoom}


class TownLabels(Layer, RawMacroElement):
    """Towns named on the offline base map by size (bigger towns from lower zooms), from rows
    ``[lat, lon, name_html, population]`` sorted biggest first, and first-level areas named at
    their centres at regional zooms, from rows ``[lat, lon, name_html]`` (names escaped by the
    caller). Towns are placed first; an area whose name would run into one is left out. ``lines``
    (GeoJSON) are the areas' boundaries, drawn thin and dashed under everything else."""

    _template = _load("town_labels.j2")

    def __init__(
        self,
        rows: list[list[Any]],
        areas: list[list[Any]],
        name: str,
        show: bool = True,
        lines: dict[str, Any] | None = None,
        line_style: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(name=name, overlay=True, show=show)
        self._name = "TownLabels"
        self.rows = js_json(rows)
        self.areas = js_json(areas)
        self.lines = js_json(lines)
        self.line_style = js_json(line_style or {})


class _Panel(RawMacroElement):
    """A Leaflet control whose content is the element's ``html`` macro, moved into the control
    (by the ``control`` macro of ``templates/panel_control.j2``, which its script calls)."""


class Legend(_Panel):
    """The legend: one symbol per incident type, sizes, approximate locations, crossings, border."""

    _template = _load("legend.j2")

    def __init__(self, items: list[dict[str, str]], position: str = "bottomleft", open: bool = True) -> None:
        super().__init__()
        self._name = "Legend"
        self.items = items
        self.position = position
        self.open = open


class SummaryPanel(_Panel):
    """A small panel of totals: counts by type, date range, casualties, distance to the border."""

    _template = _load("summary_panel.j2")

    def __init__(self, summary: dict[str, Any], position: str = "topleft") -> None:
        super().__init__()
        self._name = "SummaryPanel"
        self.s = summary
        self.position = position


class TimeControl(_Panel):
    """The timeline: a histogram of the incidents by day (of those passing the other filters;
    the chosen dates in colour), a brush (drag over the bars, or two sliders) and play, which steps
    the chosen span through the days. Every count follows while a slider moves.

    Month-precision incidents count as the whole month; undated incidents are shown while
    "undated" is ticked.
    """

    _template = _load("time_control.j2")

    def __init__(self, lo: int, hi: int, undated: int, position: str = "bottomleft") -> None:
        super().__init__()
        self._name = "TimeControl"
        self.lo = lo
        self.hi = hi
        self.undated = undated
        self.position = position


class VectorMiniMap(JSCSSMixin, RawMacroElement):
    """leaflet-minimap showing the country polygons (no tiles: it works offline)."""

    _template = _load("vector_minimap.j2")
    default_js = [
        (
            "Control_MiniMap_js",
            "https://cdnjs.cloudflare.com/ajax/libs/leaflet-minimap/3.6.1/Control.MiniMap.js",
        )
    ]
    default_css = [
        (
            "Control_MiniMap_css",
            "https://cdnjs.cloudflare.com/ajax/libs/leaflet-minimap/3.6.1/Control.MiniMap.css",
        )
    ]

    def __init__(self, base: VectorLayer, style: dict[str, Any], position: str = "bottomright") -> None:
        super().__init__()
        self._name = "VectorMiniMap"
        self.base = base
        self.style = style
        self.options = {
            "position": position,
            "width": 150,
            "height": 150,
            "zoomLevelOffset": -5,
            "toggleDisplay": False,
            "mapOptions": {"maxZoom": 18, "minZoom": 0},
        }
