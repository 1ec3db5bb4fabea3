"""Figure alt text for the course website.

A notebook image output keeps its alt text in the output's metadata, keyed by MIME type
(``{"image/png": {"alt": "..."}}``), where JupyterLab reads it. MyST-NB's image renderer reads
only ``width`` and ``height`` from there, so this plugin (entry point group
``myst_nb.mime_renderers``) renders the image with MyST-NB's own renderer and sets ``alt``
on the image node; Sphinx writes it as ``<img alt="...">``. Outputs without alt text are left
to MyST-NB unchanged (tests/test_alt_text.py fails on those before a site is built).
"""
from __future__ import annotations

IMAGE_TYPES = ("image/png", "image/jpeg", "image/gif", "image/svg+xml")


def alt_text(output_metadata: dict, mime_type: str) -> str | None:
    """The alt text stored for ``mime_type`` in an output's metadata, or None."""
    entry = (output_metadata or {}).get(mime_type)
    alt = entry.get("alt") if isinstance(entry, dict) else None
    return alt.strip() if isinstance(alt, str) and alt.strip() else None


class AltTextImages:
    """MyST-NB MIME-render plugin: images whose output metadata carries alt text."""

    mime_priority_overrides = ()

    @staticmethod
    def handle_mime(renderer, data, inline: bool):
        if data.mime_type not in IMAGE_TYPES:
            return None
        alt = alt_text(data.output_metadata, data.mime_type)
        if alt is None:
            return None
        nodes = renderer.render_image_inline(data) if inline else renderer.render_image(data)
        for node in nodes:
            node["alt"] = alt
        return nodes
