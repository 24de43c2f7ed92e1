"""Schemathesis hooks for run.py: every call carries the simulator's client id.

The official files declare `client_id` (a query API key) as a security scheme, but the
B2C operations list only OAuth2 in their own `security`, so Schemathesis would never send
it, and every B2C call would stop at the 400 for a missing client id.
"""
import schemathesis

CLIENT_ID = "vigie-sim-client"


@schemathesis.hook
def before_call(context, case, kwargs):
    query = dict(case.query or {})
    query["client_id"] = CLIENT_ID
    case.query = query
