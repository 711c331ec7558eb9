"""The model stage on its own thread, so it runs while the hand-written checks and the fuzz stage run.

The stage mostly waits on the target and the other checks mostly on this process, so running them at
once keeps both the target and the checks busy. ``BackgroundModelRun.start`` starts ``run_model`` with
the stage's exchanges labelled as the model check's; ``result`` waits for it and hands back its run or
raises its error in the waiting thread; ``stop`` ends it within a bound (an interrupted session).
"""

from __future__ import annotations

import threading

from conformance.model.machine import ModelBudget, ModelContext, ModelRun
from conformance.model.runner import LANE_STOP_SECONDS, run_model
from conformance.recorder import exchanges_labelled

#: How often a waiting thread wakes, so an interrupt (Ctrl-C) reaches it.
WAIT_POLL_SECONDS = 0.1


class BackgroundModelRun:
    """One run of the model stage on a daemon thread; its exchanges labelled ``label``."""

    def __init__(self, context: ModelContext, budget: ModelBudget, label: str) -> None:
        self.context = context
        self.budget = budget
        self.label = label
        self._thread = threading.Thread(target=self._run, name="crux-model-stage", daemon=True)
        self._run_result: ModelRun | None = None
        self._error: BaseException | None = None

    def start(self) -> BackgroundModelRun:
        """Start the stage; return self."""
        self._thread.start()
        return self

    def _run(self) -> None:
        with exchanges_labelled(self.label):
            try:
                self._run_result = run_model(self.context, self.budget)
            except BaseException as error:  # handed to the waiting thread, which raises it
                self._error = error

    def result(self) -> ModelRun:
        """Wait for the stage; return its run, or raise its error (no answer, a stopped run...)."""
        while self._thread.is_alive():
            self._thread.join(WAIT_POLL_SECONDS)
        if self._error is not None:
            raise self._error
        if self._run_result is None:
            raise RuntimeError("the model stage ended without a result")
        return self._run_result

    def stop(self) -> None:
        """Ask the stage to send nothing more and wait for it, within a bound."""
        self.context.stop.set()
        self._thread.join(LANE_STOP_SECONDS + WAIT_POLL_SECONDS)
