"""Definitions kept as YAML data files inside a plugin package."""

from __future__ import annotations

from collections.abc import Mapping
from importlib.resources import files
from importlib.resources.abc import Traversable
from typing import Any

import yaml

YAML_SUFFIXES = (".yaml", ".yml")


class DefinitionFileError(ValueError):
    """A plugin's data file cannot be read as definitions."""


def load_yaml_definitions(package: str, filename: str) -> list[dict[str, Any]]:
    """Read definition documents from a YAML file (or a folder of them) shipped in ``package``.

    A file holds either one definition (a mapping) or a list of them; a folder's ``.yaml`` files
    are read in name order. The documents are returned as they are: the core validates them
    against the schemas, and reports problems by definition and field.

    :param package: the plugin's package name, e.g. ``"spotcheck_scjg"``.
    :param filename: a path inside the package with ``/`` separators, e.g. ``"items.yaml"`` or
        ``"forms"``.
    :raises DefinitionFileError: when a file is not YAML, or holds neither a mapping nor a list.
    """
    resource = files(package).joinpath(*filename.split("/"))
    if resource.is_dir():
        paths = sorted((p for p in resource.iterdir() if p.name.endswith(YAML_SUFFIXES)),
                       key=lambda p: p.name)
    else:
        paths = [resource]
    documents: list[dict[str, Any]] = []
    for path in paths:
        documents += _read(package, filename if path is resource else f"{filename}/{path.name}",
                           path)
    return documents


def _read(package: str, shown: str, path: Traversable) -> list[dict[str, Any]]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise DefinitionFileError(f"{package}/{shown}: {exc}") from exc
    if isinstance(data, Mapping):
        return [dict(data)]
    if isinstance(data, list):
        return data
    raise DefinitionFileError(f"{package}/{shown}: holds {type(data).__name__}, expected a "
                              "mapping or a list of mappings")
