"""Aligned text tables whose cells are written in the KPI registry's formats (``$52,750``, ``+8.4%``).

pandas' ``to_string`` would print ``5.275e+04`` and the columns' internal
names; a table here gets its header and every cell as the reader should see
them, so one format per unit holds across commands.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence


def text_table(
    header: Sequence[str], rows: Iterable[Sequence[str]], right: Collection[int] = ()
) -> str:
    """Columns two spaces apart; those in ``right`` (figures) right-aligned, the rest left."""
    lines = [list(header), *(list(row) for row in rows)]
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]

    def render(line: list[str]) -> str:
        cells = (
            cell.rjust(width) if i in right else cell.ljust(width)
            for i, (cell, width) in enumerate(zip(line, widths, strict=True))
        )
        return "  ".join(cells).rstrip()

    return "\n".join(render(line) for line in lines)
