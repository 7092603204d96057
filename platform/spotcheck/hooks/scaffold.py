"""``spotcheck plugin new CODE``: write a new department plugin that installs, loads and passes its
own tests, for a department to fill with its real items, forms and rules.

The skeleton is the template tree in ``skeleton/`` beside this module: a ``*.tmpl`` file is written
without that suffix, ``package/`` becomes the plugin's package ``spotcheck_<code>`` and
``tests/test_plugin.py`` becomes ``tests/test_<code>_plugin.py``. Placeholders are
:class:`string.Template` ones (``$code``, ``$CODE``, ``$Code``, ``$package``, ``$name_zh``,
``$name_en``, ``$level``, ``$contract_version``).
"""

from __future__ import annotations

import re
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from string import Template

import click

from spotcheck.hooks.definitions import LEVELS
from spotcheck.hooks.specs import CONTRACT_VERSION
from spotcheck.hooks.validation import OFFICE_CODE

CODE_PATTERN = re.compile(r"^[A-Z][A-Z0-9]{1,15}$")  # as department.schema.json says
TEMPLATE_SUFFIX = ".tmpl"


class ScaffoldError(ValueError):
    """The plugin cannot be written as asked."""


def new_plugin(code: str, name_zh: str, name_en: str, level: str, parent: Path) -> Path:
    """Write the plugin of department ``code`` into ``parent/<code in lower case>``.

    :return: the plugin's folder.
    :raises ScaffoldError: when the code is not a department code or the folder exists.
    """
    if not CODE_PATTERN.match(code) or code == OFFICE_CODE:
        raise ScaffoldError(f"{code!r} is not a department code: 2 to 16 capital letters and digits, "
                            f"starting with a letter, not {OFFICE_CODE}")
    if level not in LEVELS:
        raise ScaffoldError(f"level {level!r} is not one of {', '.join(LEVELS)}")
    lower = code.lower()
    target = parent / lower
    if target.exists():
        raise ScaffoldError(f"{target} exists already: nothing written")
    values = {"code": lower, "CODE": code, "Code": lower.capitalize(), "package": f"spotcheck_{lower}",
              "name_zh": name_zh, "name_en": name_en, "level": level,
              "contract_version": str(CONTRACT_VERSION)}
    _write(files("spotcheck.hooks") / "skeleton", target, values)
    return target


def _write(source: Traversable, target: Path, values: dict[str, str]) -> None:
    for entry in source.iterdir():
        name = _target_name(entry.name, values)
        if entry.is_dir():
            _write(entry, target / name, values)
        elif entry.name.endswith(TEMPLATE_SUFFIX):
            target.mkdir(parents=True, exist_ok=True)
            text = Template(entry.read_text(encoding="utf-8")).substitute(values)
            (target / name).write_text(text, encoding="utf-8")


def _target_name(name: str, values: dict[str, str]) -> str:
    name = name.removesuffix(TEMPLATE_SUFFIX)
    if name == "package":
        return values["package"]
    if name == "test_plugin.py":
        return f"test_{values['code']}_plugin.py"
    return name


@click.group("plugin")
def plugin_cli() -> None:
    """Write department plugins."""


@plugin_cli.command("new")
@click.argument("code")
@click.option("--name", "name_zh", default=None, help="Chinese name (default: CODE).")
@click.option("--name-en", default=None, help="English name (default: CODE).")
@click.option("--level", type=click.Choice(LEVELS), default="district", show_default=True)
@click.option("--dir", "parent", type=click.Path(file_okay=False, path_type=Path), default=Path("plugins"),
              show_default=True, help="Folder the plugin's folder is written into.")
def new_command(code: str, name_zh: str | None, name_en: str | None, level: str, parent: Path) -> None:
    """Write a working, tested plugin skeleton for department CODE (e.g. ZJJ)."""
    try:
        target = new_plugin(code, name_zh or code, name_en or code, level, parent)
    except ScaffoldError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"written: {target}")
    click.echo(f"next: pip install -e {target}; spotcheck plugins; pytest {target / 'tests'}")
