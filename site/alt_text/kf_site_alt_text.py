"""Figure alt text and slider notes for the course website.

A notebook image output keeps its alt text in the output's metadata, keyed by MIME type
(``{"image/png": {"alt": "..."}}``), where JupyterLab reads it. MyST-NB's image renderer reads
only ``width`` and ``height`` from there, so this plugin (entry point group
``myst_nb.mime_renderers``) renders the image with MyST-NB's own renderer and sets ``alt``
on the image node; Sphinx writes it as ``<img alt="...">``. Outputs without alt text are left
to MyST-NB unchanged (tests/test_alt_text.py fails on those before a site is built).

A slider panel (an ipywidgets view) needs a running kernel; the website has none, so the view
shows nothing. Under it the plugin adds a short note saying so; the lessons leave a static
figure of each panel at its default settings right after it (tests/test_site.py checks both).
"""
from __future__ import annotations

from docutils import nodes as docutils_nodes

IMAGE_TYPES = ("image/png", "image/jpeg", "image/gif", "image/svg+xml")
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_NOTE = ("Slider panel: dragging it needs a running Python kernel, so open the lesson in "
               "Binder or Colab (the rocket button at the top) or on your computer. The next figure "
               "shows the panel at its default settings.")


def alt_text(output_metadata: dict, mime_type: str) -> str | None:
    """The alt text stored for ``mime_type`` in an output's metadata, or None."""
    entry = (output_metadata or {}).get(mime_type)
    alt = entry.get("alt") if isinstance(entry, dict) else None
    return alt.strip() if isinstance(alt, str) and alt.strip() else None


class AltTextImages:
    """MyST-NB MIME-render plugin: images whose output metadata carries alt text; widget views."""

    mime_priority_overrides = ()

    @staticmethod
    def handle_mime(renderer, data, inline: bool):
        if data.mime_type == WIDGET_VIEW and not inline:
            note = docutils_nodes.paragraph(text=WIDGET_NOTE, classes=["kf-widget-note"])
            return renderer.render_widget_view(data) + [note]
        if data.mime_type not in IMAGE_TYPES:
            return None
        alt = alt_text(data.output_metadata, data.mime_type)
        if alt is None:
            return None
        nodes = renderer.render_image_inline(data) if inline else renderer.render_image(data)
        for node in nodes:
            node["alt"] = alt
        return nodes
