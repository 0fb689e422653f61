"""Conformance under load: Locust consumers judged by the suites' own checks (``spine-conformance load``).

The harness side (plan, processes, judgement, state verification, results) never imports Locust or
gevent: Locust runs in its own processes (``locustfile.py``), because gevent's monkey-patching must
not share a process with the harness's threads.
"""
