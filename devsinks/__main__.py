"""``python -m devsinks``: the SMS gateway, bot API and SMTP stand-ins and the dev inbox.

    python -m devsinks [--http-port 8005] [--smtp-port 8025]
        [--mongodb-url mongodb://127.0.0.1:27017] [--notification-database inson_notification]
        [--sms-token T] [--bot-token T]

Runs until SIGTERM or Ctrl-C. ``scripts/services.sh start`` runs it beside the
services and points notification's channels at it.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
from collections.abc import Sequence

import uvicorn

from devsinks.inbox import DeliveryLog, Inbox
from devsinks.mail import serve_smtp
from devsinks.web import app


def _arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m devsinks", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--http-port", type=int, default=8005)
    parser.add_argument("--smtp-port", type=int, default=8025)
    parser.add_argument(
        "--mongodb-url",
        default=os.environ.get("MONGODB_URL", "mongodb://127.0.0.1:27017"),
        help="where notification's delivery log is, for who a message was for and its script",
    )
    parser.add_argument("--notification-database", default="inson_notification")
    parser.add_argument("--sms-token", default=None, help="the bearer token /sms requires")
    parser.add_argument("--bot-token", default=None, help="the bot token /bot<token>/ requires")
    return parser.parse_args(argv)


async def _serve(args: argparse.Namespace) -> None:
    inbox = Inbox(DeliveryLog(args.mongodb_url, args.notification_database))
    smtp = await serve_smtp(inbox, args.host, args.smtp_port)
    http = uvicorn.Server(
        uvicorn.Config(
            app(inbox, sms_token=args.sms_token, bot_token=args.bot_token),
            host=args.host,
            port=args.http_port,
            log_level="warning",
            access_log=False,
            lifespan="off",
        )
    )
    logging.getLogger("devsinks").info(
        "dev inbox on http://%s:%d/, SMTP on %s:%d",
        args.host,
        args.http_port,
        args.host,
        args.smtp_port,
    )
    try:
        await http.serve()  # returns on SIGTERM / SIGINT
    finally:
        smtp.close()
        await smtp.wait_closed()
        await inbox.deliveries.close()


def main(argv: Sequence[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s devsinks %(message)s")
    # aiosmtpd logs every sender and recipient address at INFO.
    logging.getLogger("mail.log").setLevel(logging.WARNING)
    asyncio.run(_serve(_arguments(argv)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
