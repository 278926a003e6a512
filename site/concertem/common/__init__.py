"""The site's bottom layer: what several apps share (stream blocks, the page-translation
helper, charts, the territory). It imports no other site app, and debates may use it."""
