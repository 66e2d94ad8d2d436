"""The election-night simulator (``ingester simulate``) and the measures that hold the daemon to it.

    results.py ─► plan.py ─► Night (model.py) ─► site.py ─► server.py ─► HTTP on 127.0.0.1
    (CSV files)   (wording.py)                   │  shapes*.py renderers, faults.py
                                                 └► truth.py: the ground truth (JSON lines)
    recorded.py: a saved night served as recorded (its truth read back through the pipeline)

    measure.py   Redis streams against the truth: latency, missed changes, facts once per kind
    reference.py the streams of an uninterrupted run, computed (every page state read once)
    harness.py   the simulator and the daemon as child processes, for tests and bench/night.py

Everything runs on a virtual clock (``clock.py``): the night's time, ``speed`` times faster than the
wall clock. Nothing here is imported by the daemon: the simulator is a test instrument.
"""
