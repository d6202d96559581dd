"""What a browser downloads for the pay page: its HTML and the CSS and JavaScript it links,
raw and as gzip -6 would send them, and how the server sends and lets browsers cache them."""

import gzip
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import requests

from benchmarks.customer import Customer

ACCEPT = {"Accept-Encoding": "gzip, deflate, br"}


@dataclass(frozen=True)
class Resource:
    path: str
    raw_bytes: int
    gzip_bytes: int
    encoding: str  # Content-Encoding as served ("-" when none)
    cache_control: str  # as served ("-" when none), with the validators sent


class Assets(HTMLParser):
    """<script src> and <link rel=stylesheet href>, in page order."""

    def __init__(self):
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        fields = dict(attrs)
        if tag == "script" and fields.get("src"):
            self.found.append(fields["src"])
        elif (
            tag == "link"
            and "stylesheet" in (fields.get("rel") or "").split()
            and fields.get("href")
        ):
            self.found.append(fields["href"])


def pay_page(customer: Customer, merchant_uid: str) -> list[Resource]:
    """The pay page of a pending order, as the browser that placed it loads it."""
    page_url = f"{customer.url}/orders/{merchant_uid}/pay"
    page = get(customer, page_url)
    parser = Assets()
    parser.feed(page.text)
    assets = [get(customer, urljoin(page_url, src)) for src in parser.found]
    return [resource(page, "/orders/<merchant_uid>/pay")] + [resource(a) for a in assets]


def get(customer: Customer, url: str) -> requests.Response:
    answer = customer.http.get(url, headers=ACCEPT, timeout=30)
    answer.raise_for_status()
    return answer


def resource(answer: requests.Response, label: str | None = None) -> Resource:
    body = answer.content  # decoded, if the server compressed it
    return Resource(
        path=label or urlsplit(answer.url).path,
        raw_bytes=len(body),
        gzip_bytes=len(gzip.compress(body, compresslevel=6)),
        encoding=answer.headers.get("Content-Encoding", "-"),
        cache_control=caching(answer.headers),
    )


def caching(headers) -> str:
    """Cache-Control, and the validators a browser can revalidate with."""
    validators = [name for name in ("ETag", "Last-Modified") if name in headers]
    policy = headers.get("Cache-Control", "-")
    return policy + (f" ({', '.join(validators)})" if validators else "")
