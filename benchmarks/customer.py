"""A customer's browser over HTTP: buy one product (바로 구매), pay it in the sandbox's window,
and the pay page's callback. Its session cookie and CSRF token let wrk act as this browser."""

import json
import re
import time

import requests

BUYER = {
    "buyer_name": "홍길동",
    "buyer_email": "gildong@example.com",
    "buyer_tel": "010-4242-4242",
    "buyer_postcode": "06236",
    "buyer_addr": "서울특별시 강남구 테헤란로 123",
    "pay_method": "card",
    "same_as_buyer": "y",
    "agree_purchase": "y",
    "agree_privacy_collection": "y",
    "agree_privacy_third_party": "y",
    "agree_electronic_finance": "y",
}
SECONDS = 30


class Customer:
    def __init__(self, url: str):
        self.url, self.http, self.token = url, requests.Session(), ""

    def get(self, path: str) -> str:
        answer = self.http.get(self.url + path, timeout=SECONDS)
        answer.raise_for_status()
        if found := re.search(r'name="csrf-token" content="([^"]+)"', answer.text):
            self.token = found.group(1)
        return answer.text

    def post(self, path: str, **fields) -> requests.Response:
        data = fields | {"csrf_token": self.token}
        return self.http.post(self.url + path, data=data, allow_redirects=False, timeout=SECONDS)

    def buy(self, slug: str = "linen-cushion") -> str:
        """A pending order for one of `slug`; its merchant_uid."""
        page = self.get(f"/products/{slug}")
        buy_now = re.search(r'formaction="(/checkout/buy-now/\d+)"', page).group(1)
        self.expect(self.post(buy_now, quantity=1), 302)
        self.get("/checkout?source=buy_now")
        placed = self.expect(self.post("/checkout", source="buy_now", **BUYER), 302)
        return re.fullmatch(r"/orders/(ord_\w+)/pay", placed.headers["Location"]).group(1)

    def approve_in_window(self, merchant_uid: str) -> str:
        """What iamport.payment.js and the buyer do on the pay page; the payment's imp_uid."""
        page = self.get(f"/orders/{merchant_uid}/pay")
        found = re.search(r'id="payment-config">(.*?)</script>', page, re.S)
        if found is None:
            raise RuntimeError(f"no pay page for {merchant_uid} (not this browser's order?)")
        config = json.loads(found.group(1))
        window = {"merchant_code": config["impCode"], "params": json.dumps(config["request"])}
        opened = self.http.post(
            self.url + "/sandbox/window",
            data=window | {"mode": "iframe", "channel": "pc", "origin": self.url},
            allow_redirects=False,
            timeout=SECONDS,
        )
        imp_uid = self.expect(opened, 303).headers["Location"].rstrip("/").rsplit("/", 1)[1]
        self.expect(
            self.http.post(f"{self.url}/sandbox/window/{imp_uid}/approve", timeout=SECONDS), 200
        )
        return imp_uid

    def verify(self, imp_uid: str, merchant_uid: str) -> float:
        """The pay page's callback (POST /payments/complete); its duration in milliseconds."""
        started = time.perf_counter()
        answer = self.http.post(
            self.url + "/payments/complete",
            data=self.callback_body(imp_uid, merchant_uid),
            headers=self.callback_headers(),
            timeout=SECONDS,
        )
        elapsed = (time.perf_counter() - started) * 1000
        if answer.status_code != 200 or answer.json().get("status") != "success":
            raise RuntimeError(f"verification answered {answer.status_code}: {answer.text[:300]}")
        return elapsed

    def approved_order(self) -> tuple[str, str]:
        """An order of this browser whose payment was approved, not yet verified by the shop:
        (merchant_uid, imp_uid). (A session remembers its last 20 orders: pay each at once.)"""
        merchant_uid = self.buy()
        return merchant_uid, self.approve_in_window(merchant_uid)

    def paid_order(self) -> tuple[str, str]:
        """A settled (paid) order of this browser: (merchant_uid, imp_uid)."""
        merchant_uid, imp_uid = self.approved_order()
        self.verify(imp_uid, merchant_uid)
        return merchant_uid, imp_uid

    @staticmethod
    def callback_body(imp_uid: str, merchant_uid: str) -> str:
        return json.dumps({"imp_uid": imp_uid, "merchant_uid": merchant_uid})

    def callback_headers(self) -> dict[str, str]:
        return {"Content-Type": "application/json", "X-CSRFToken": self.token}

    def cookie_header(self) -> dict[str, str]:
        """This browser's session, for wrk's -H."""
        return {"Cookie": "session=" + self.http.cookies["session"]}

    @staticmethod
    def expect(answer: requests.Response, status: int) -> requests.Response:
        if answer.status_code != status:
            raise RuntimeError(
                f"{answer.request.method} {answer.url} answered {answer.status_code},"
                f" not {status}: {answer.text[:300]}"
            )
        return answer
