"""The pieces of the incident map as folium elements: each a small ``MacroElement`` (or ``Layer``)
holding a Jinja ``_template``, in folium's own style, so that ``geomap.mapping`` only composes them.

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
from typing import Any

import folium
from branca.element import Element, MacroElement
from folium.elements import JSCSSMixin
from folium.map import Layer
from folium.template import Template

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

    def render(self, **kwargs: Any) -> None:
        figure = self.get_root()
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


class PageStyle(RawMacroElement):
    """The page's own stylesheet and its ``<title>`` (escaped here)."""

    _template = Template(
        """
        {% macro header(this, kwargs) %}
        {% if this.title %}<title>{{ this.title|e }}</title>{% endif %}
        <meta name="generator" content="geomap">
        <style>
        .leaflet-container { background: #c9dbe6; font: 13px/1.35 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
        .gm-marker, .gm-cluster-icon, .gm-xing { background: none; border: none; }
        .leaflet-tooltip.gm-country-label { background: none; border: none; box-shadow: none; padding: 0;
            color: #6b6255; font: italic 600 12px/1 system-ui, sans-serif; letter-spacing: .06em;
            text-transform: uppercase; text-shadow: 0 0 3px #f3efe6, 0 0 3px #f3efe6; }
        .leaflet-tooltip.gm-country-label::before { display: none; }
        .gm-marker svg, .gm-cluster-icon svg, .gm-xing svg { display: block; overflow: visible; }
        .gm-marker .gm-badge { position: absolute; right: -8px; top: -7px; min-width: 15px; padding: 0 3px;
            border-radius: 8px; background: #111; color: #fff; font: bold 10px/15px system-ui, sans-serif;
            text-align: center; box-shadow: 0 0 0 1px #fff; }
        .gm-src-other { opacity: .8; }
        .gm-cluster-icon .gm-n { position: absolute; left: 0; right: 0; top: 50%; transform: translateY(-50%);
            text-align: center; font: bold 11px system-ui, sans-serif; color: #fff; text-shadow: 0 0 2px #000, 0 0 2px #000; }
        .gm-panel { background: rgba(255,255,255,.94); padding: 6px 9px; border-radius: 5px;
            box-shadow: 0 1px 5px rgba(0,0,0,.4); max-width: 300px; }
        .gm-panel summary { font-weight: 600; cursor: pointer; }
        .gm-panel h2 { font-size: 14px; margin: 0 0 4px; }
        .gm-panel table { border-collapse: collapse; }
        .gm-panel td, .gm-panel th { padding: 1px 6px 1px 0; text-align: left; vertical-align: middle; font-weight: normal; }
        .gm-panel td.n { text-align: right; }
        .gm-legend svg { vertical-align: middle; }
        .gm-note { color: #555; font-size: 12px; }
        .gm-time { min-width: 260px; }
        .gm-time input[type=range] { width: 100%; margin: 2px 0; }
        .gm-time .gm-range { font-weight: 600; }
        .gm-popup { font-size: 13px; max-height: 340px; overflow-y: auto; }
        .gm-popup .gm-h { font-size: 14px; font-weight: 700; margin-bottom: 3px; }
        .gm-popup table { border-collapse: collapse; margin: 2px 0 4px; }
        .gm-popup th { text-align: left; vertical-align: top; padding: 1px 8px 1px 0; color: #444; font-weight: 600; }
        .gm-popup td { padding: 1px 0; vertical-align: top; }
        .gm-popup ul { margin: 0; padding-left: 16px; }
        .gm-popup blockquote { margin: 4px 0 1px; padding: 2px 0 2px 7px; border-left: 3px solid #999; font-style: italic; }
        .gm-popup .gm-src { color: #444; font-size: 12px; margin-bottom: 4px; }
        .gm-popup .gm-warn { color: #8a3b00; margin-top: 4px; }
        .gm-popup .gm-meta { color: #666; font-size: 11px; margin-top: 4px; }
        </style>
        {% endmacro %}
        """
    )

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

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        {% if this.data is not none and this.packed %}
        var {{ this.get_name() }}_data = (function (p) {
            // delta-coded integer rings (see geomap.mapping._pack_ring) back to GeoJSON
            function ring(a) {
                var out = [], x = 0, y = 0;
                for (var i = 0; i < a.length; i += 2) { x += a[i]; y += a[i + 1]; out.push([x / p.scale, y / p.scale]); }
                return out;
            }
            return {type: 'FeatureCollection', features: p.features.map(function (f) {
                return {type: 'Feature', properties: f.p,
                        geometry: {type: 'MultiPolygon', coordinates: f.c.map(function (poly) { return poly.map(ring); })}};
            })};
        })({{ this.data }});
        {% elif this.data is not none %}
        var {{ this.get_name() }}_data = {{ this.data }};
        {% endif %}
        var {{ this.get_name() }} = L.geoJSON({{ this.data_name }}, {
            style: {{ this.style|tojavascript }},
            interactive: false,
            {% if this.pane %}pane: {{ this.pane|tojson }},{% endif %}
        });
        {% if this.labels %}
        // country names, shown with the base map (offline there are no tile labels), under the markers
        (function (map) {
            if (!map.getPane('gmLabels')) {
                var pane = map.createPane('gmLabels');
                pane.style.zIndex = 450;
                pane.style.pointerEvents = 'none';
            }
            {{ this.labels }}.forEach(function (l) {
                {{ this.get_name() }}.addLayer(L.tooltip({permanent: true, direction: 'center', interactive: false,
                    pane: 'gmLabels', className: 'gm-country-label'}).setLatLng([l[0], l[1]]).setContent(l[2]));
            });
        })({{ this._parent.get_name() }});
        {% endif %}
        {% endmacro %}
        """
    )

    def __init__(
        self,
        data: dict | None,
        name: str,
        style: dict,
        *,
        overlay: bool = True,
        show: bool = True,
        data_from: VectorLayer | None = None,
        pane: str | None = None,
        control: bool = True,
        packed: bool = False,
        labels: list | None = None,
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
    marker per incident and adds them, in bulk, to the ``MarkerCluster`` inside the
    ``FeatureGroup`` of their type, so the layer control toggles exactly one type. It also exposes
    ``window.geomap`` (the map and, per layer, its group, cluster and markers) for the time
    control and for tests.
    """

    _template = Template(
        """
        {% macro html(this, kwargs) %}
        <script type="application/json" id="{{ this.get_name() }}_data">{{ this.payload }}</script>
        {% endmacro %}
        {% macro script(this, kwargs) %}
        (function () {
            var map = {{ this._parent.get_name() }};
            var data = JSON.parse(document.getElementById({{ (this.get_name() ~ '_data')|tojson }}).textContent);
            var clusters = [{% for c in this.clusters %}{{ c.get_name() }}{% if not loop.last %}, {% endif %}{% endfor %}];
            var groups = [{% for g in this.groups %}{{ g.get_name() }}{% if not loop.last %}, {% endif %}{% endfor %}];
            var symbols = data.symbols;
            var icons = {};
            function svg(sym, size, hollow) {
                var fill = hollow ? '#ffffff' : sym.color, stroke = hollow ? sym.color : '#1a1a1a';
                var sw = hollow ? 2.6 : 1.4, dash = hollow ? ' stroke-dasharray="3.2 2.2"' : '';
                return '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" width="' + size + '" height="' + size +
                    '"><path d="' + sym.path + '" fill="' + fill + '" fill-opacity="' + (hollow ? 0.85 : 1) +
                    '" stroke="' + stroke + '" stroke-width="' + sw + '"' + dash + ' stroke-linejoin="round"/></svg>';
            }
            function icon(info, size, hollow, badge) {
                var key = info.type + '|' + info.source + '|' + size + '|' + hollow + '|' + badge;
                var made = icons[key];
                if (made) { return made; }
                var html = svg(symbols[info.type], size, hollow);
                if (badge) { html += '<span class="gm-badge">' + badge + '</span>'; }
                made = icons[key] = L.divIcon({
                    html: html,
                    className: 'gm-marker gm-' + info.type + (hollow ? ' gm-approx' : '') +
                        (info.source ? ' gm-src-other' : ''),
                    iconSize: [size, size], iconAnchor: [size / 2, size / 2],
                    popupAnchor: [0, -size / 2], tooltipAnchor: [size / 2, 0]
                });
                return made;
            }
            function clusterIcon(info) {
                return function (cluster) {
                    var n = cluster.getChildCount();
                    var size = n < 10 ? 30 : n < 100 ? 36 : n < 1000 ? 42 : 48;
                    return L.divIcon({
                        html: svg(symbols[info.type], size, false) + '<span class="gm-n">' + n + '</span>',
                        className: 'gm-cluster-icon gm-c-' + info.type,
                        iconSize: [size, size], iconAnchor: [size / 2, size / 2]
                    });
                };
            }
            var layers = data.groups.map(function (info, i) {
                clusters[i].options.iconCreateFunction = clusterIcon(info);
                return {type: info.type, source: info.source, name: info.name, group: groups[i],
                        cluster: clusters[i], markers: []};
            });
            var rows = data.rows, strings = data.strings;
            // a popup is the list of its pieces (escaped HTML, stored once each), joined when opened
            function popup(marker) {
                return marker.gmPopup.map(function (i) { return strings[i]; }).join('');
            }
            for (var j = 0; j < rows.length; j++) {
                var r = rows[j], layer = layers[r[2]];
                var m = L.marker([r[0], r[1]], {icon: icon(layer, r[3], r[4] === 1, r[5]), riseOnHover: true});
                m.gmPopup = r[9];
                m.bindPopup(popup, {maxWidth: 380, minWidth: 240, autoPanPaddingTopLeft: [20, 20], autoPanPaddingBottomRight: [260, 20]});
                m.bindTooltip(strings[r[8]], {direction: 'top'});
                m.gmFrom = r[6]; m.gmTo = r[7]; m.gmIndex = j;
                layer.markers.push(m);
            }
            layers.forEach(function (layer) { layer.cluster.addLayers(layer.markers); });
            window.geomap = window.geomap || {};
            window.geomap.map = map;
            window.geomap.layers = layers;
            window.geomap.filterDates = function (from, to, undated) {
                layers.forEach(function (layer) {
                    var keep = layer.markers.filter(function (m) {
                        if (m.gmFrom === null) { return undated; }
                        return m.gmTo >= from && m.gmFrom <= to;
                    });
                    layer.cluster.clearLayers();
                    layer.cluster.addLayers(keep);
                });
            };
        })();
        {% endmacro %}
        """
    )

    default_js = [MARKERCLUSTER_JS]
    default_css = MARKERCLUSTER_CSS

    def __init__(self, payload: dict, groups: list, clusters: list) -> None:
        super().__init__()
        self._name = "IncidentMarkers"
        self.payload = js_json(payload)
        self.groups = groups
        self.clusters = clusters


class PointLayer(Layer, RawMacroElement):
    """An overlay of reference points (border crossings, negotiation venues) from JSON rows.

    Each row is ``[lat, lon, icon_html, tooltip_html, popup_html]`` (escaped by the caller) for
    ``kind="icon"``, or ``[lat, lon, radius, tooltip_html, popup_html]`` drawn as a dashed ring
    for ``kind="ring"``.
    """

    _template = Template(
        """
        {% macro html(this, kwargs) %}
        <script type="application/json" id="{{ this.get_name() }}_data">{{ this.rows }}</script>
        {% endmacro %}
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.layerGroup();
        (function () {
            var rows = JSON.parse(document.getElementById({{ (this.get_name() ~ '_data')|tojson }}).textContent);
            var opts = {{ this.opts|tojavascript }};
            rows.forEach(function (r) {
                var m;
                if (opts.kind === 'ring') {
                    m = L.circleMarker([r[0], r[1]], {radius: r[2], color: opts.color, weight: 2.5,
                        dashArray: '5 4', fill: true, fillOpacity: 0.06, className: opts.className});
                } else {
                    m = L.marker([r[0], r[1]], {icon: L.divIcon({html: r[2], className: opts.className,
                        iconSize: [opts.size, opts.size], iconAnchor: [opts.size / 2, opts.size / 2]}),
                        zIndexOffset: -500});
                }
                m.bindTooltip(r[3], {direction: 'top'});
                m.bindPopup(r[4], {maxWidth: 360});
                {{ this.get_name() }}.addLayer(m);
            });
        })();
        {% endmacro %}
        """
    )

    def __init__(
        self,
        rows: list,
        name: str,
        *,
        kind: str,
        class_name: str,
        color: str = "#333",
        size: int = 20,
        show: bool = True,
    ) -> None:
        super().__init__(name=name, overlay=True, show=show)
        self._name = "PointLayer"
        self.rows = js_json(rows)
        self.opts = {"kind": kind, "className": class_name, "color": color, "size": size}


class _Panel(RawMacroElement):
    """A Leaflet control whose content is the element's ``html`` macro, moved into the control."""

    _control_script = """
        (function () {
            var content = document.getElementById({{ this.get_name()|tojson }});
            var Control = L.Control.extend({
                onAdd: function () {
                    L.DomEvent.disableClickPropagation(content);
                    L.DomEvent.disableScrollPropagation(content);
                    return content;
                }
            });
            new Control({position: {{ this.position|tojson }}}).addTo({{ this._parent.get_name() }});
            content.style.display = '';
        })();
    """


class Legend(_Panel):
    """The legend: one symbol per incident type, sizes, approximate locations, crossings, border."""

    _template = Template(
        """
        {% macro html(this, kwargs) %}
        <div id="{{ this.get_name() }}" class="gm-panel gm-legend" style="display:none">
        <details {% if this.open %}open{% endif %}><summary>Legend</summary>
        <table>
        {% for item in this.items %}
        <tr><td>{{ item.svg }}</td><td>{{ item.label|e }}</td></tr>
        {% endfor %}
        </table>
        <div class="gm-note">Size grows with stated casualties; the number is the stated dead.<br>
        Hollow, dashed: location known only roughly (province, border or country).</div>
        </details>
        </div>
        {% endmacro %}
        {% macro script(this, kwargs) %}"""
        + _Panel._control_script
        + """{% endmacro %}
        """
    )

    def __init__(self, items: list[dict], position: str = "bottomleft", open: bool = True) -> None:
        super().__init__()
        self._name = "Legend"
        self.items = items
        self.position = position
        self.open = open


class SummaryPanel(_Panel):
    """A small panel of totals: counts by type, date range, casualties, distance to the border."""

    _template = Template(
        """
        {% macro html(this, kwargs) %}
        <div id="{{ this.get_name() }}" class="gm-panel gm-summary" style="display:none">
        <details open><summary>{{ this.s.title|e }}</summary>
        <table>
        {% for label, n in this.s.counts %}<tr><th>{{ label|e }}</th><td class="n">{{ n }}</td></tr>{% endfor %}
        </table>
        <div>{{ this.s.dates|e }}</div>
        <div>{{ this.s.casualties|e }}</div>
        {% if this.s.conflicts %}<div class="gm-note">{{ this.s.conflicts|e }}</div>{% endif %}
        {% if this.s.border %}<div>{{ this.s.border|e }}</div>{% endif %}
        {% if this.s.crossings %}<div>{{ this.s.crossings|e }}</div>{% endif %}
        {% for line in this.s.extra %}<div class="gm-note">{{ line|e }}</div>{% endfor %}
        </details>
        </div>
        {% endmacro %}
        {% macro script(this, kwargs) %}"""
        + _Panel._control_script
        + """{% endmacro %}
        """
    )

    def __init__(self, summary: dict, position: str = "topleft") -> None:
        super().__init__()
        self._name = "SummaryPanel"
        self.s = summary
        self.position = position


class TimeControl(_Panel):
    """Two range sliders (from, to) over the incident days that filter the markers; no auto-play.

    Month-precision incidents count as the whole month; undated incidents are shown while
    "undated" is ticked.
    """

    _template = Template(
        """
        {% macro html(this, kwargs) %}
        <div id="{{ this.get_name() }}" class="gm-panel gm-time" style="display:none">
        <div>Dates: <span class="gm-range"></span></div>
        <input type="range" class="gm-from" aria-label="from" min="{{ this.lo }}" max="{{ this.hi }}" value="{{ this.lo }}" step="1">
        <input type="range" class="gm-to" aria-label="to" min="{{ this.lo }}" max="{{ this.hi }}" value="{{ this.hi }}" step="1">
        <label><input type="checkbox" class="gm-undated" checked> undated ({{ this.undated }})</label>
        </div>
        {% endmacro %}
        {% macro script(this, kwargs) %}"""
        + _Panel._control_script
        + """
        (function () {
            var box = document.getElementById({{ this.get_name()|tojson }});
            var from = box.querySelector('.gm-from'), to = box.querySelector('.gm-to');
            var undated = box.querySelector('.gm-undated'), label = box.querySelector('.gm-range');
            function iso(day) { return new Date(day * 86400000).toISOString().slice(0, 10); }
            function update(apply) {
                var a = +from.value, b = +to.value;
                if (a > b) { if (this === from) { to.value = a; b = a; } else { from.value = b; a = b; } }
                label.textContent = iso(a) + ' \\u2013 ' + iso(b);
                if (apply && window.geomap && window.geomap.filterDates) {
                    window.geomap.filterDates(a, b, undated.checked);
                }
            }
            [from, to].forEach(function (el) {
                el.addEventListener('input', function () { update.call(el, false); });
                el.addEventListener('change', function () { update.call(el, true); });
            });
            undated.addEventListener('change', function () { update(true); });
            update(false);
        })();
        {% endmacro %}
        """
    )

    def __init__(self, lo: int, hi: int, undated: int, position: str = "bottomleft") -> None:
        super().__init__()
        self._name = "TimeControl"
        self.lo = lo
        self.hi = hi
        self.undated = undated
        self.position = position


class VectorMiniMap(JSCSSMixin, RawMacroElement):
    """leaflet-minimap showing the country polygons (no tiles: it works offline)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var layer = L.geoJSON({{ this.base.data_name }}, {style: {{ this.style|tojavascript }}, interactive: false});
            new L.Control.MiniMap(layer, {{ this.options|tojavascript }}).addTo({{ this._parent.get_name() }});
        })();
        {% endmacro %}
        """
    )
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

    def __init__(self, base: VectorLayer, style: dict, position: str = "bottomright") -> None:
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
