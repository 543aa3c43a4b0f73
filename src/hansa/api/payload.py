"""Response bodies: amounts are decimal strings, never JSON numbers (which clients read
as binary floats)."""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from enum import Enum
from typing import Any


def as_json(value: Any) -> Any:
    """*value* with dataclasses as dicts, enums as their values and every Decimal as a
    string; dates are left to FastAPI (ISO 8601).

    >>> as_json({"rate": Decimal("7.7"), "parts": [Decimal("0.10")]})
    {'rate': '7.7', 'parts': ['0.10']}
    """
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        value = {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): as_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [as_json(v) for v in value]
    if isinstance(value, Enum):
        return value.value
    return str(value) if isinstance(value, Decimal) else value
