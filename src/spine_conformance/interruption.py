"""Why a run stopped early (Ctrl-C, SIGTERM, its own time limit), for the reports to say."""

from __future__ import annotations

import _thread
import threading

_reason = {"text": ""}


def reason() -> str:
    return _reason["text"] or "it was interrupted (Ctrl-C or SIGTERM)"


def interrupt(why: str) -> None:
    """Stop the run as Ctrl-C would (in the main thread), remembering why."""
    _reason["text"] = why
    _thread.interrupt_main()


def start_deadline(seconds: float) -> threading.Timer:
    """Interrupt the run once ``seconds`` have passed; cancel the returned timer when it ends first."""
    timer = threading.Timer(seconds, interrupt, args=(f"its --max-duration of {seconds:g} s passed",))
    timer.daemon = True
    timer.start()
    return timer
