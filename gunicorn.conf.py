"""gunicorn's settings for the app; gunicorn reads this file when started from the project's folder
(``gunicorn wsgi:app``). Options on the command line win over these (``--workers 8``).

Why each setting (README, "Production on PostgreSQL with gunicorn"):

- ``gthread`` workers with threads: a request waiting on PostgreSQL does not hold a whole process,
  and kept-alive connections wait in the worker's poller without holding a thread. A worker per core
  and 4 threads each (below).
- ``keepalive`` longer than any client or proxy in front keeps an idle connection: gunicorn's
  default of 2 seconds closes idle connections that the client is about to reuse (httpx and
  browsers keep them for 5 seconds and more, nginx's upstream keep-alive for 60). A request sent
  at that moment finds the socket closed and fails with "Server disconnected" or "connection
  reset" before the app sees it, so nothing is in the server's log. The client must be the side
  that closes an idle connection first.
- ``worker_tmp_dir`` in memory: the workers' heartbeat file on a busy disk can stall them into a
  timeout.
"""
import os

worker_class = "gthread"
# One worker per core (at least 2, so that one restarting never leaves none), 4 threads each: the app's
# work is mostly Python, which runs one thread at a time per process, so more threads than the waits on
# PostgreSQL need only add switching. On 2 cores the load test measured 4 x 8 and 2 x 4 at the same
# throughput and p95, and about the same CPU a request (gunicorn's and PostgreSQL's together); 2 x 4
# holds 8 database connections instead of 32 and half the memory (README, "Production on PostgreSQL
# with gunicorn"). WEB_CONCURRENCY and GUNICORN_THREADS override them.
workers = int(os.environ.get("WEB_CONCURRENCY") or max(2, os.cpu_count() or 1))
threads = int(os.environ.get("GUNICORN_THREADS") or 4)
# Longer than nginx's upstream keepalive_timeout (60 s) and than clients' idle keep-alive (httpx 5 s).
keepalive = 75
if os.path.isdir("/dev/shm"):
    worker_tmp_dir = "/dev/shm"
