"""Plain-text tables and numbers for the benchmarks' output."""

INDENT = "  "


def table(headers: list[str], rows: list[list[str]]) -> str:
    """Columns padded to their widest cell: the first aligned left, the others right."""
    widths = [max(len(row[i]) for row in [headers, *rows]) for i in range(len(headers))]

    def line(cells: list[str]) -> str:
        first, *others = cells
        padded = [first.ljust(widths[0])] + [
            c.rjust(w) for c, w in zip(others, widths[1:], strict=True)
        ]
        return INDENT + "   ".join(padded).rstrip()

    rule = INDENT + "-" * (sum(widths) + 3 * (len(widths) - 1))
    return "\n".join([line(headers), rule, *(line(row) for row in rows)])


def title(text: str) -> str:
    return f"\n{text}\n{'=' * len(text)}"


def whole(number: float) -> str:
    """12 345, with a space between thousands."""
    return f"{number:,.0f}".replace(",", " ")


def ratio(value: float, baseline: float) -> str:
    return f"{value / baseline:.2f}"


def duration(seconds: float) -> str:
    if seconds < 60:
        return f"{seconds:.1f} s"
    minutes, seconds = divmod(round(seconds), 60)
    return f"{minutes} min {seconds:02d} s"
