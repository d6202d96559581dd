"""The shop as gunicorn serves it (`wsgi:app`), plus one line per REST call its sandbox answers.

In sandbox mode the shop's PortOne client reaches the mounted sandbox in-process (no socket:
shop.web.wsgi_transport), so gunicorn's access log never sees those calls. This entry wraps the
mounted sandbox app and appends `METHOD RULE` for each REST endpoint it answers to the file
named by BENCH_GATEWAY_LOG — whether the call came from the shop or over HTTP. Nothing in the
shop changes; the cost is one short append per gateway call.
"""

import os

from werkzeug.exceptions import HTTPException

from shop import create_app


class CountedRestCalls:
    def __init__(self, sandbox, path: str):
        self.sandbox, self.wsgi_app = sandbox, sandbox.wsgi_app
        self.fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)

    def __call__(self, environ, start_response):
        try:
            rule, _ = self.sandbox.url_map.bind_to_environ(environ).match(return_rule=True)
        except HTTPException:
            rule = None
        if rule is not None and rule.endpoint.startswith("api."):
            os.write(self.fd, f"{environ['REQUEST_METHOD']} {rule.rule}\n".encode())
        return self.wsgi_app(environ, start_response)


app = create_app()
_sandbox = app.extensions["sandbox_app"]
_sandbox.wsgi_app = CountedRestCalls(_sandbox, os.environ["BENCH_GATEWAY_LOG"])
