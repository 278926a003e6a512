"""A system check: every app whose blocks the StreamFields use is installed.

A block class from an app that is not in INSTALLED_APPS imports fine, but its static
files (the admin's JavaScript) and templates are not found: the editor's StreamField
renders empty and saving it fails (issue 15, ``TypedTableBlock``). ``manage.py check``
and the test suite say so before an editor meets it.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from pathlib import Path

from django.apps import apps
from django.core import checks
from wagtail.blocks import Block
from wagtail.fields import StreamField


def blocks_walk(block: Block) -> Iterator[Block]:
    """The block and every block inside it (struct, stream, list and table children)."""
    yield block
    children = list(getattr(block, "child_blocks", {}).values())
    if getattr(block, "child_block", None) is not None:
        children.append(block.child_block)
    for child in children:
        yield from blocks_walk(child)


def _app_package(module: str) -> str | None:
    """The package of ``module`` that is a Django app (has apps.py, static or templates)."""
    parts = module.split(".")
    for end in range(len(parts) - 1, 0, -1):
        package = ".".join(parts[:end])
        spec = importlib.util.find_spec(package)
        if spec is None or not spec.submodule_search_locations:
            continue
        folder = Path(next(iter(spec.submodule_search_locations)))
        if any((folder / name).exists() for name in ("apps.py", "static", "templates")):
            return package
    return None


def block_apps_check(
    app_configs=None, *, installed: set[str] | None = None, **kwargs
) -> list[checks.CheckMessage]:
    """``installed`` (app names) defaults to INSTALLED_APPS; tests pass a smaller set."""
    if installed is None:
        installed = {config.name for config in apps.get_app_configs()}
    errors: list[checks.CheckMessage] = []
    seen: set[tuple[str, str]] = set()
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if not isinstance(field, StreamField):
                continue
            for block in blocks_walk(field.stream_block):
                package = _app_package(type(block).__module__)
                if package is None or package in installed:
                    continue
                key = (f"{model._meta.label}.{field.name}", package)
                if key in seen:
                    continue
                seen.add(key)
                errors.append(
                    checks.Error(
                        f"{key[0]} uses {type(block).__name__} from {package}, "
                        "which is not in INSTALLED_APPS: its admin scripts and templates "
                        "would not be found.",
                        hint=f'Add "{package}" to INSTALLED_APPS.',
                        obj=model,
                        id="home.E001",
                    )
                )
    return errors
