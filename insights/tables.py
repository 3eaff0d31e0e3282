"""Plain aligned tables for the terminal."""

from __future__ import annotations

from collections.abc import Sequence


def number(value: float | None, digits: int = 3) -> str:
    """A figure with a fixed number of decimals, or "-" when it is undefined."""
    return "-" if value is None else f"{value:.{digits}f}"


def table(
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    groups: Sequence[tuple[str, int]] = (),
) -> str:
    """Rows under a header, first column left-aligned, the rest right-aligned.

    `groups` labels runs of columns after the first with a line above the header, as
    (label, how many columns) pairs.
    """
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    lines = []
    if groups:
        cells, column = [" " * widths[0]], 1
        for label, span in groups:
            width = sum(widths[column : column + span]) + 2 * (span - 1)
            cells.append(label.center(width))
            column += span
        lines.append("  ".join(cells).rstrip())
    for row in [header, *rows]:
        rest = [cell.rjust(width) for cell, width in zip(row[1:], widths[1:], strict=True)]
        cells = [row[0].ljust(widths[0]), *rest]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)
