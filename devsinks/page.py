"""The dev inbox as one HTML page: every message as delivered, newest first.

Server-rendered and self-contained (inline style, no script, no font or CDN
fetched), UTF-8 throughout: Uzbek in Latin (with ʻ and ʼ) and Cyrillic and
Russian are shown exactly as the provider received them, each text marked
with its language so the browser picks fitting glyphs.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta, timezone
from html import escape

from devsinks.inbox import Receipt

TASHKENT = timezone(timedelta(hours=5), "UZT")
KINDS = {
    "citizen": "citizen",
    "social_worker": "worker",
    "window": "window",
    "supervisor": "supervisor",
}
SCRIPTS = {
    "uz-Latn": "uz-Latn · Latin",
    "uz-Cyrl": "uz-Cyrl · Cyrillic",
    "ru": "ru · Russian",
}
CHANNELS = {"sms": "SMS", "telegram": "Telegram", "email": "e-mail"}

_STYLE = """
body { font-family: "DejaVu Sans", "Noto Sans", Arial, sans-serif; margin: 1.5rem;
       color: #1d2430; background: #f6f7f9; }
h1 { font-size: 1.4rem; margin: 0 0 .25rem; }
p.lead { margin: 0 0 1rem; color: #4a5568; }
nav a { margin-right: .6rem; }
table { border-collapse: collapse; width: 100%; background: #fff; margin-top: 1rem; }
th, td { border-bottom: 1px solid #e2e5ea; padding: .45rem .6rem; text-align: left;
         vertical-align: top; font-size: .92rem; }
th { background: #eef1f5; position: sticky; top: 0; }
td.text { white-space: pre-wrap; max-width: 42rem; font-size: 1rem; }
span.kind { display: inline-block; padding: 0 .4rem; border-radius: .6rem; background: #e6f0ff; }
span.kind.citizen { background: #e3f6e8; }
tr.refused td { color: #8a8f98; }
tr.refused td.text { text-decoration: line-through; }
small { color: #6b7280; }
"""


def _filters() -> str:
    links = ['<a href="/">all</a>']
    links += [f'<a href="/?kind={k}">{label}</a>' for k, label in KINDS.items()]
    links += [f'<a href="/?channel={c}">{label}</a>' for c, label in CHANNELS.items()]
    return "<nav>" + " ".join(links) + "</nav>"


def _row(receipt: Receipt) -> str:
    kind = receipt.kind or "unknown"
    language = receipt.language or ""
    at = receipt.received_at.astimezone(TASHKENT)
    status = "" if receipt.accepted else f"<br><small>refused ({receipt.answered})</small>"
    copy = f"<br><small>again, as #{receipt.copy_of}</small>" if receipt.copy_of else ""
    subject = f"<strong>{escape(receipt.subject)}</strong>\n" if receipt.subject else ""
    lang_attr = f' lang="{escape(language)}"' if language else ""
    joined = (
        f"{escape(receipt.template or '')}<br><small>{escape(receipt.cause_type or '')}</small>"
        if receipt.kind
        else "<small>not in notification's delivery log</small>"
    )
    notification = escape(receipt.notification_id or "")
    return (
        f'<tr class="{"sent" if receipt.accepted else "refused"}" data-seq="{receipt.seq}" '
        f'data-kind="{escape(kind)}" data-channel="{escape(receipt.channel)}" '
        f'data-script="{escape(language)}" data-notification="{notification}">'
        f'<td>#{receipt.seq}<br><time datetime="{receipt.received_at.isoformat()}">'
        f"{at:%Y-%m-%d %H:%M:%S}</time>{status}{copy}</td>"
        f'<td><span class="kind {escape(kind)}">{escape(KINDS.get(kind, kind))}</span>'
        f"<br><small>{escape(receipt.to)}</small></td>"
        f"<td>{escape(CHANNELS.get(receipt.channel, receipt.channel))}</td>"
        f"<td>{escape(SCRIPTS.get(language, language or '—'))}</td>"
        f'<td class="text"{lang_attr}>{subject}{escape(receipt.text)}</td>'
        f"<td>{joined}</td></tr>"
    )


def render(receipts: Sequence[Receipt], *, total: int) -> str:
    rows = "".join(_row(r) for r in receipts) or (
        '<tr><td colspan="6">Nothing received yet. Submit an application with a phone '
        "number and the citizen's SMS shows here.</td></tr>"
    )
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="refresh" content="5">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Inson dev inbox</title>
<style>{_STYLE}</style>
</head>
<body>
<h1>Inson dev inbox</h1>
<p class="lead">Every message the local SMS gateway, bot API and SMTP relay received
({total} in all), newest first, as delivered. Who it was for and the script come from
notification's delivery log, by the notification id each message carries.</p>
{_filters()}
<table>
<thead><tr><th>#, time (Tashkent)</th><th>recipient</th><th>channel</th><th>script</th>
<th>message</th><th>template, cause</th></tr></thead>
<tbody>{rows}</tbody>
</table>
</body>
</html>
"""
