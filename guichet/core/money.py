"""Money is Decimal euros with two places, written the French way: 1 120,00 €."""

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
NBSP = "\u00a0"  # keeps "1 120,00 €" on one line


def to_euros(value: Decimal | int | str) -> Decimal:
    """Round a value to the cent, half up, as accounting does; floats are refused."""
    if isinstance(value, float):
        raise TypeError("Money is never a float: pass a Decimal, an int or a string.")
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def format_euros(value: Decimal | int | str) -> str:
    """'1 120,00 €' (no-break spaces), '-3,50 €'."""
    amount = to_euros(value)
    sign = "-" if amount < 0 else ""
    units, cents = f"{abs(amount):.2f}".split(".")
    groups: list[str] = []
    while len(units) > 3:
        groups.insert(0, units[-3:])
        units = units[:-3]
    groups.insert(0, units)
    return f"{sign}{NBSP.join(groups)},{cents}{NBSP}€"
