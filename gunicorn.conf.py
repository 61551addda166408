"""gunicorn's settings for the app; gunicorn reads this file when started from the project's folder
(``gunicorn wsgi:app``). Options on the command line win over these (``--workers 8``).

Why each setting (README, "Production on PostgreSQL with gunicorn"):

- ``gthread`` workers with threads: a request waiting on PostgreSQL does not hold a whole process,
  and kept-alive connections wait in the worker's poller without holding a thread.
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
workers = int(os.environ.get("WEB_CONCURRENCY", "4"))
threads = 8
# Longer than nginx's upstream keepalive_timeout (60 s) and than clients' idle keep-alive (httpx 5 s).
keepalive = 75
if os.path.isdir("/dev/shm"):
    worker_tmp_dir = "/dev/shm"
