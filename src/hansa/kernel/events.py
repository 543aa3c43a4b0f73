"""Domain events: facts a service publishes through the transactional outbox."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from hansa.kernel import clock
from hansa.kernel.ids import new_id


@dataclass(frozen=True)
class DomainEvent:
    """``topic`` names the fact in the past tense: ``identity.user_created``."""

    topic: str
    payload: Mapping[str, Any]
    id: str = field(default_factory=new_id)
    occurred_at: datetime = field(default_factory=clock.now)
