"""Normal forms for search: names without case or accents, e-mails, phones, tax ids.

>>> search_key("  Zoë  ÅSTRÖM ")
'zoe astrom'
>>> normalise_phone("+49 (30) 123-45")
'+493012345'
"""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def search_key(text: str) -> str:
    """Case- and accent-insensitive form of *text*: NFKD, combining marks dropped,
    casefolded, runs of white space made one space."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _SPACES.sub(" ", stripped.casefold()).strip()


def normalise_email(email: str) -> str:
    return email.strip().casefold()


def normalise_phone(phone: str) -> str:
    """Digits only, keeping a leading ``+``."""
    digits = "".join(c for c in phone if c.isdigit())
    return f"+{digits}" if phone.strip().startswith("+") else digits


def normalise_tax_id(tax_id: str) -> str:
    """Letters and digits only, upper case (``DE 123.456`` and ``de123456`` match)."""
    return "".join(c for c in tax_id if c.isalnum()).upper()
