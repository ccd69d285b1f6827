"""The jobs a user runs, each opening a run session (session.py) over the stages it needs:
a row job (run, export, estimate), a catalog translation, batch mode and batch files, a
reviewer's verdicts."""
