"""gunicorn as every benchmark serves: sync workers, no threads, no access log (the shop's own
gunicorn.conf.py, which adds threads, is deliberately not read). The bind address and the
number of workers come from the command line (benchmarks/servers.py)."""

worker_class = "sync"
threads = 1
timeout = 60
graceful_timeout = 3
keepalive = 2
control_socket_disable = True  # several servers run at once, and tests may run beside them
accesslog = None
errorlog = "-"
loglevel = "warning"
