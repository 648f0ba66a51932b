"""Local stand-ins for the providers notification sends through, for `make run` and tests.

One small process (``python -m devsinks``) plays the SMS gateway (``POST /sms``,
the JSON API notification's SMS adapter speaks), a Telegram-style bot API
(``POST /bot<token>/sendMessage``) and an SMTP relay, records every message it
receives, and serves the **dev inbox** (``GET /``; ``GET /messages`` as JSON)
listing each one as delivered: recipient kind, channel, script, text, time.

What a real provider gets carries no recipient kind and no script: an SMS is a
number and a text. The stand-ins do not guess them from the text. Every
channel carries the notification id the way its protocol allows a client
reference (``Idempotency-Key`` on the HTTP APIs, the ``Message-ID`` of a
mail), and the inbox joins it, at receipt, with notification's own delivery
log (read-only: kind, language, template, cause), which is written before a
message is sent. A message whose id the log does not hold is shown as such.

Development only: it lives outside the services' packages, so no image holds
it, and it binds to 127.0.0.1.
"""
