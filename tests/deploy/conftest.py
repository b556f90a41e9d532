"""What the deployment tests share: the settings production reads, and static files
collected with them once per session."""

import importlib.util
import os
from unittest import mock

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

SETTINGS_PATH = settings.BASE_DIR / "friendship_site" / "settings.py"


def settings_with(**environ):
    """The settings module read afresh with ``environ`` added to the environment."""
    with mock.patch.dict(os.environ, environ):
        spec = importlib.util.spec_from_file_location("deploy_settings", SETTINGS_PATH)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def collected_static(tmp_path_factory):
    """(STATIC_ROOT, settings): collectstatic run into a temporary STATIC_ROOT with the
    static settings of STATIC_MANIFEST=true; the settings serve that root as production does.
    """
    root = tmp_path_factory.mktemp("staticfiles")
    production = settings_with(STATIC_MANIFEST="true")
    static_settings = {
        "STATIC_ROOT": root,
        "STORAGES": {**settings.STORAGES, "staticfiles": production.STORAGES["staticfiles"]},
        "WHITENOISE_USE_FINDERS": production.WHITENOISE_USE_FINDERS,
        "WHITENOISE_AUTOREFRESH": production.WHITENOISE_AUTOREFRESH,
    }
    # Brotli and gzip of the admin's and the editor's JavaScript (a 2 MB source map among
    # it) take 40 s; the stylesheets, ours included, are still compressed, in 2 s.
    skip_compression = ["js", "map", "svg", "txt", "md", "json", "html"]
    with override_settings(**static_settings, WHITENOISE_SKIP_COMPRESS_EXTENSIONS=skip_compression):
        call_command("collectstatic", interactive=False, verbosity=0)
    return root, static_settings
