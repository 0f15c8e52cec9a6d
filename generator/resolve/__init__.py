"""Resolution: mentions → actors (`actors.py`); temporal expressions → TimeRefs (`dates.py`)."""

from .actors import ActorIndex, resolve_actors
from .dates import reported_on, resolve_date

__all__ = ["ActorIndex", "resolve_actors", "reported_on", "resolve_date"]
