#!/usr/bin/env python3
"""A local SMTP server for NotificationsTests (aiosmtpd, loopback only).

  server.py --mode starttls|implicit --cert CERT --key KEY --user U --password P

STARTTLS mode requires STARTTLS before anything else and AUTH over TLS only; implicit
mode speaks TLS from the first byte. Both accept AUTH PLAIN and LOGIN for U/P only.
RCPT to nobody@… answers 550, to later@… answers 451.

Prints JSON lines on stdout: {"ready": PORT} once listening, then one object per
accepted message: envelope, TLS and AUTH facts, the raw message's checks and the
message parsed by Python's email package (independently of the Swift code). Stops when
its stdin closes.
"""
import argparse
import email
import email.policy
import json
import socket
import ssl
import sys

try:
    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult, LoginPassword
except ImportError:
    print(json.dumps({"error": "aiosmtpd is not installed: python3 -m pip install aiosmtpd"}), flush=True)
    sys.exit(3)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Handler:
    def __init__(self):
        self.mechanisms = {}

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("nobody@"):
            return "550 5.1.1 no such mailbox"
        if address.startswith("later@"):
            return "451 4.3.0 try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        raw = envelope.original_content
        message = email.message_from_bytes(raw, policy=email.policy.default)
        lines = raw.split(b"\r\n")
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "tls": server.transport.get_extra_info("ssl_object") is not None,
            "authenticated": bool(session.authenticated),
            "mechanism": self.mechanisms.get(id(session)),
            "bare_lf": b"\n" in raw.replace(b"\r\n", b""),
            "longest_line": max(len(line) for line in lines),
            "raw_headers": raw.split(b"\r\n\r\n", 1)[0].decode("ascii", "replace"),
            "subject": str(message["subject"]),
            "from": str(message["from"]),
            "to": str(message["to"]),
            "message_id": str(message["message-id"]),
            "date": str(message["date"]),
            "date_parsed": message["date"].datetime.isoformat() if message["date"] else None,
            "mime_version": str(message["mime-version"]),
            "content_type": message.get_content_type(),
            "charset": message.get_content_charset(),
            "transfer_encoding": str(message["content-transfer-encoding"]),
            "body": message.get_content(),
            "defects": [type(d).__name__ for d in message.defects],
        }
        print(json.dumps(record), flush=True)
        return "250 2.0.0 Ok: queued as VIGIE1"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--mode", choices=["starttls", "implicit"], required=True)
    parser.add_argument("--cert", required=True)
    parser.add_argument("--key", required=True)
    parser.add_argument("--user", required=True)
    parser.add_argument("--password", required=True)
    args = parser.parse_args()

    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(args.cert, args.key)
    handler = Handler()

    def authenticator(server, session, envelope, mechanism, auth_data):
        ok = (isinstance(auth_data, LoginPassword)
              and auth_data.login == args.user.encode() and auth_data.password == args.password.encode())
        if ok:
            handler.mechanisms[id(session)] = mechanism
        return AuthResult(success=ok, handled=False)

    port = free_port()
    common = dict(hostname="127.0.0.1", port=port, authenticator=authenticator)
    if args.mode == "starttls":
        controller = Controller(handler, tls_context=context, require_starttls=True, auth_require_tls=True, **common)
    else:
        # TLS from the first byte: aiosmtpd does not count it as STARTTLS, so AUTH is not
        # made to wait for one.
        controller = Controller(handler, ssl_context=context, auth_require_tls=False, **common)
    controller.start()
    print(json.dumps({"ready": port}), flush=True)
    try:
        sys.stdin.read()
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
