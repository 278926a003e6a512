"""The Wagtail project's configuration: settings, URLs, middleware.

Importing it (Django does, to read the settings) registers the bounded `int` converter
before any URL pattern is built: see config/converters.py.
"""

from concertem.config.converters import int_converter_register

int_converter_register()
