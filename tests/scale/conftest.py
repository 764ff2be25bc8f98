"""Fixtures for the scale-out tests: a real bundle on the jobs suite's synthetic corpus."""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "bot"))  # fake_telegram
sys.path.insert(0, str(HERE.parent / "jobs"))  # corpus
sys.path.insert(0, str(HERE))  # cluster

import bundle_fixtures  # noqa: E402

base_corpus = bundle_fixtures.base_corpus
trained_dir = bundle_fixtures.trained_dir
model_dir = bundle_fixtures.model_dir
