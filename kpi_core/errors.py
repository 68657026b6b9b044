"""The project's one error type for input that cannot be used."""

from __future__ import annotations


class IngestError(Exception):
    """A file that cannot be read at all. `str(error)` is one sentence for the user:
    which file, what is wrong, and what to do."""

    def __init__(self, file_name: str, problem: str, action: str):
        self.file_name = file_name
        self.problem = problem
        self.action = action
        super().__init__(f"{file_name}: {problem}. {action}")
