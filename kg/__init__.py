"""kg: knowledge graphs from Chinese news, every fact traced to its sentence."""

from __future__ import annotations

__version__ = "0.1.0"
