"""Where the project's data files live (ontology, gazetteers, queries, model)."""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent
ONTOLOGY_DIR = PROJECT_DIR / "ontology"
DATA_DIR = PROJECT_DIR / "data"
QUERIES_DIR = PROJECT_DIR / "queries"
MODELS_DIR = PACKAGE_DIR / "models"
