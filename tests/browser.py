"""Headless Chromium for the report tests (Debian's package: .ci/run installs it)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

BROWSERS = ("chromium", "chromium-browser", "chromium-headless-shell")
BROWSER_TIMEOUT_S = 120


def chromium() -> str | None:
    return next((path for name in BROWSERS if (path := shutil.which(name))), None)


# Off CI a machine without Chromium skips these tests; on CI (CI=true) they fail instead.
needs_chromium = pytest.mark.skipif(
    chromium() is None and not os.environ.get("CI"), reason="Chromium is not installed here"
)


def flags(profile: Path) -> list[str]:
    return [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={profile}",
    ]


def print_to_pdf(page: Path, pdf: Path, profile: Path) -> Path:
    """Print ``page`` as a browser's "Save as PDF" does (A4 from the page's @page rule, no header)."""
    browser = chromium()
    assert browser, "CI must install Chromium (.ci/run does)"
    subprocess.run(
        [browser, *flags(profile), "--no-pdf-header-footer", f"--print-to-pdf={pdf}", page.resolve().as_uri()],
        capture_output=True,
        timeout=BROWSER_TIMEOUT_S,
        check=True,
    )
    assert pdf.is_file() and pdf.stat().st_size > 0, "Chromium printed nothing"
    return pdf
