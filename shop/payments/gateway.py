"""The one client for PortOne V1's REST API (the real one in live mode, the sandbox otherwise)."""

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any
from urllib.parse import quote

import requests

TOKEN_MARGIN = 60  # seconds before expiry when a cached token is no longer used
# A read timeout shorter than the client's, for calls a customer is waiting on (patience()).
_patience: ContextVar[float | None] = ContextVar("patience", default=None)
# Set inside rationed(): the calls share the process's budget of calls waiting on PortOne.
_rationed: ContextVar[bool] = ContextVar("rationed", default=False)
BUSY = "PortOne의 응답을 기다리는 요청이 많아 지금은 확인하지 못했습니다."


class GatewayError(Exception):
    """PortOne answered with an error, or did not answer at all (status None)."""

    def __init__(self, message: str, status: int | None = None, code: int | None = None):
        super().__init__(message)
        self.message = message
        self.status = status
        self.code = code

    @property
    def unavailable(self) -> bool:
        """The gateway could not give an answer: worth trying again later."""
        return self.status is None or self.status >= 500

    @property
    def not_found(self) -> bool:
        return self.status == 404

    def __repr__(self) -> str:
        return f"GatewayError({self.message!r}, status={self.status}, code={self.code})"


class PortOne:
    def __init__(
        self,
        base_url: str,
        imp_key: str,
        imp_secret: str,
        *,
        session: requests.Session | None = None,
        timeout: tuple[float, float] = (3.05, 10),
        clock: Callable[[], float] = time.time,
        budget: int = 0,
    ):
        self.base_url = base_url.rstrip("/")
        self._credentials = {"imp_key": imp_key, "imp_secret": imp_secret}
        self.session = session or requests.Session()
        self.timeout = timeout
        self.clock = clock
        self._token: str | None = None
        self._token_good_until = 0.0
        self._lock = threading.Lock()
        # 0: no budget. Else at most `budget` rationed calls of this process wait on PortOne.
        self._budget = threading.BoundedSemaphore(budget) if budget else None

    def __repr__(self) -> str:
        return f"<PortOne {self.base_url}>"  # never the credentials or the token

    def get_payment(self, imp_uid: str) -> dict[str, Any]:
        return self._call("GET", "/payments/" + quote(imp_uid, safe=""))

    def find_payment(self, merchant_uid: str) -> dict[str, Any]:
        return self._call("GET", "/payments/find/" + quote(merchant_uid, safe=""))

    def payments_of(self, merchant_uid: str) -> list[dict[str, Any]]:
        """Every payment PortOne has for an order, newest first; [] when it has none."""
        try:
            return self._pages("/payments/findAll/" + quote(merchant_uid, safe=""), {})
        except GatewayError as error:
            if error.not_found:
                return []
            raise

    def payments_in_status(self, status: str, since: int, until: int) -> list[dict[str, Any]]:
        """The payments that reached `status` between two UNIX times (90 days at most)."""
        return self._pages(f"/payments/status/{status}", {"from": since, "to": until})

    def _pages(self, path: str, params: dict) -> list[dict[str, Any]]:
        found, page = [], 1
        while page:
            listed = self._call("GET", path, params=params | {"page": page, "limit": 100})
            found += listed["list"]
            page = listed["next"]
        return found

    def cancel(
        self,
        imp_uid: str,
        amount: int,
        checksum: int,
        reason: str,
        refund_account: dict[str, str] | None = None,
    ) -> dict[str, Any]:
        """Cancel `amount` of a payment; PortOne refuses unless `checksum` is what it still
        holds, so a cancel repeated after a lost answer is never executed twice."""
        body = {"imp_uid": imp_uid, "amount": amount, "checksum": checksum, "reason": reason}
        return self._call("POST", "/payments/cancel", json=body | (refund_account or {}))

    def revoke_vbank(self, imp_uid: str) -> dict[str, Any]:
        """Close an issued virtual account that has not been paid into."""
        return self._call("DELETE", "/vbanks/" + quote(imp_uid, safe=""))

    def pg_channels(self) -> list[dict[str, Any]]:
        """The account's PG channels (pg_provider, pg_id, sandbox, type) in PortOne's console."""
        return self._call("GET", "/users/pg")

    def check(self) -> None:
        """Raise GatewayError unless PortOne gives this shop a token now."""
        self._forget_token()
        self._access_token()

    def prepare(self, merchant_uid: str, amount: int, currency: str = "KRW") -> dict[str, Any]:
        body = {"merchant_uid": merchant_uid, "amount": amount, "currency": currency}
        return self._call("POST", "/payments/prepare", json=body)

    def register_escrow_shipment(self, imp_uid: str, shipment: dict[str, Any]) -> dict[str, Any]:
        """Tell PortOne an escrow payment's parcel left: `shipment` is the spec's body (sender,
        receiver, logis); a second registration of the same payment is refused (409)."""
        return self._call("POST", "/escrows/logis/" + quote(imp_uid, safe=""), json=shipment)

    def update_escrow_shipment(self, imp_uid: str, shipment: dict[str, Any]) -> dict[str, Any]:
        """Replace what is registered for an escrow payment's parcel (409 when nothing is)."""
        return self._call("PUT", "/escrows/logis/" + quote(imp_uid, safe=""), json=shipment)

    def escrow_shipment(self, imp_uid: str) -> dict[str, Any]:
        """What PortOne has registered for the parcel (409 when nothing is)."""
        return self._call("GET", "/escrows/logis/" + quote(imp_uid, safe=""))

    def issue_receipt(self, imp_uid: str, holder: dict[str, str]) -> dict[str, Any]:
        """현금영수증 for what is left of a cash payment; `holder` is the spec's identifier,
        identifier_type, type and buyer_*. A second one while one is in force: 400."""
        return self._call("POST", "/receipts/" + quote(imp_uid, safe=""), json=holder)

    def revoke_receipt(self, imp_uid: str) -> dict[str, Any]:
        """Cancel the receipt issued through PortOne (400 when none was)."""
        return self._call("DELETE", "/receipts/" + quote(imp_uid, safe=""))

    def receipt(self, imp_uid: str) -> dict[str, Any]:
        """The payment's receipt, in force or cancelled (404 when none was issued)."""
        return self._call("GET", "/receipts/" + quote(imp_uid, safe=""))

    def _call(self, method: str, path: str, **kwargs) -> Any:
        with self._slot():
            return self._answered(method, path, **kwargs)

    def _answered(self, method: str, path: str, **kwargs) -> Any:
        response = self._send(
            method, path, headers={"Authorization": self._access_token()}, **kwargs
        )
        if response.status_code == 401:
            self._forget_token()
            response = self._send(
                method, path, headers={"Authorization": self._access_token()}, **kwargs
            )
        return unwrap(response)

    def _access_token(self) -> str:
        with self._lock:
            if self._token is None or self.clock() >= self._token_good_until:
                issued = unwrap(self._send("POST", "/users/getToken", json=self._credentials))
                lifetime = int(issued["expired_at"]) - int(issued["now"])
                self._token = issued["access_token"]
                self._token_good_until = self.clock() + lifetime - TOKEN_MARGIN
            return self._token

    def _forget_token(self) -> None:
        with self._lock:
            self._token = None

    @contextmanager
    def patience(self, seconds: float) -> Iterator[None]:
        """Calls made inside wait at most `seconds` for each answer (in this context only)."""
        token = _patience.set(seconds)
        try:
            yield
        finally:
            _patience.reset(token)

    @contextmanager
    def rationed(self) -> Iterator[None]:
        """Calls made inside (in this context only) take a slot of the budget, or fail at once
        as unavailable when every slot is taken: a slow PortOne then holds at most `budget`
        threads of the process, and the rest serve the pages that need no gateway. (Waiting
        even a quarter second for a slot let 32 customers starve the pages again.)"""
        token = _rationed.set(True)
        try:
            yield
        finally:
            _rationed.reset(token)

    @contextmanager
    def _slot(self) -> Iterator[None]:
        """The whole call (its token too): a thread waiting on the token lock holds a slot."""
        if self._budget is None or not _rationed.get():
            yield
            return
        if not self._budget.acquire(blocking=False):
            raise GatewayError(BUSY)
        try:
            yield
        finally:
            self._budget.release()

    def _timeout(self) -> tuple[float, float]:
        connect, read = self.timeout
        return connect, min(read, _patience.get() or read)

    def _send(self, method: str, path: str, **kwargs) -> requests.Response:
        try:
            return self.session.request(
                method, self.base_url + path, timeout=self._timeout(), **kwargs
            )
        except requests.Timeout as error:
            raise GatewayError("PortOne이 제한 시간 안에 응답하지 않았습니다.") from error
        except requests.RequestException as error:
            raise GatewayError("PortOne에 연결하지 못했습니다.") from error


def unwrap(response: requests.Response) -> Any:
    """Return `response` of the V1 envelope, or raise with its status, code and message."""
    try:
        body = response.json()
        code, message = body["code"], body.get("message")
    except (ValueError, KeyError, TypeError) as error:
        raise GatewayError(
            f"PortOne 응답을 해석하지 못했습니다 (HTTP {response.status_code}).",
            status=response.status_code,
        ) from error
    if response.status_code != 200 or code != 0:
        raise GatewayError(message or f"HTTP {response.status_code}", response.status_code, code)
    return body["response"]
