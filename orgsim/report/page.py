"""The report's HTML skeleton and style sheet, inline so the file needs no network to open.

A ``string.Template`` and ``html.escape`` are all the templating one page
needs; every value that reaches the page goes through :func:`text` or
:func:`table`, which escape it.
"""

from __future__ import annotations

import base64
import html
from collections.abc import Iterable, Sequence
from string import Template

CSS = """
:root { --ink: #222; --muted: #555; --rule: #e3e3e3; --accent: #0072B2; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
       sans-serif; color: var(--ink); line-height: 1.5; max-width: 1180px;
       margin: 2rem auto; padding: 0 1.5rem; }
h1 { font-size: 2rem; margin: 0 0 .3rem; }
h2 { font-size: 1.45rem; margin-top: 2.6rem; padding-bottom: .3rem;
     border-bottom: 2px solid var(--rule); }
h3 { font-size: 1.15rem; margin: 1.4rem 0 .4rem; }
.subtitle { color: var(--muted); margin: 0 0 1.5rem; }
nav a { margin-right: 1.1rem; color: var(--accent); }
.verdict { background: #f2f7fb; border-left: 6px solid var(--accent);
           padding: .9rem 1.4rem; margin: 1rem 0 1.4rem; }
.headline { font-size: 1.22rem; font-weight: 600; margin: .3rem 0 .6rem; }
.verdict ul { margin: .3rem 0 .4rem; padding-left: 1.3rem; }
.note { color: var(--muted); font-style: italic; }
figure { margin: 2.2rem 0; }
figure img { display: block; max-width: 100%; height: auto; border: 1px solid var(--rule); }
figcaption { color: var(--muted); margin-top: .4rem; }
table { border-collapse: collapse; width: 100%; margin: .8rem 0 1.2rem; font-size: .95rem; }
th, td { padding: .35rem .6rem; border-bottom: 1px solid var(--rule); text-align: left;
         vertical-align: top; }
thead th { background: #f5f5f5; border-bottom: 2px solid #ccc; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tbody th { font-weight: 600; }
code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
            font-size: .9rem; }
pre { background: #f7f7f7; padding: .8rem 1rem; overflow: auto; max-height: 32rem; }
details { margin: .5rem 0; }
summary { cursor: pointer; color: var(--accent); }
@media print { nav { display: none; } figure { break-inside: avoid; } }
"""

PAGE = Template(
    """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="orgsim $version">
<title>$title</title>
<style>$css</style>
</head>
<body>
$body
</body>
</html>
"""
)


NUMERIC = ' class="num"'


def text(value: object) -> str:
    """``value`` as escaped HTML text."""
    return html.escape(str(value), quote=True)


def page(title: str, body: str, version: str) -> str:
    """The whole document around ``body`` (already HTML), with the inline style sheet."""
    return PAGE.substitute(title=text(title), body=body, css=CSS, version=text(version))


def png_image(png: bytes, alt: str) -> str:
    """An ``<img>`` whose source is the PNG itself, as a base64 data URI."""
    data = base64.b64encode(png).decode("ascii")
    return f'<img src="data:image/png;base64,{data}" alt="{text(alt)}">'


def table(header: Sequence[str], rows: Iterable[Sequence[str]], numeric: Iterable[int] = ()) -> str:
    """A table of escaped cells; the columns in ``numeric`` are right-aligned figures."""
    right = set(numeric)

    def cells(values: Sequence[str], tag: str) -> str:
        return "".join(
            f"<{tag}{NUMERIC if i in right else ''}>{text(v)}</{tag}>" for i, v in enumerate(values)
        )

    body = "".join(f"<tr>{cells(row, 'td')}</tr>" for row in rows)
    return f"<table><thead><tr>{cells(header, 'th')}</tr></thead><tbody>{body}</tbody></table>"
