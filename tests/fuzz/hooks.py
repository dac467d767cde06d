"""Schemathesis hooks of the fuzz run (loaded through schemathesis.toml)."""

import itertools
import re

import schemathesis

_VALID_KEY = re.compile(r"^[!-~]{1,240}$")
_counter = itertools.count()


@schemathesis.hook
def before_call(context, case, kwargs):
    """Makes every valid `Idempotency-Key` unique to its request.

    Generated keys come from a tiny space ("0", "!", ...), so most POSTs would reuse an earlier
    request's key: the server then rightly answers 422 (another request's key) or replays the
    first response, whose object may have been deleted since, and the request never reaches its
    handler. Reuse is covered by tests/it/idempotency.rs; invalid keys are left as generated.
    """
    headers = case.headers or {}
    key = headers.get("Idempotency-Key")
    if isinstance(key, str) and _VALID_KEY.match(key):
        headers["Idempotency-Key"] = f"{key}-{next(_counter)}"
        case.headers = headers
