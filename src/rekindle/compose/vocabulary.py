"""The words messages are described in: what a message is for and how it goes (pure, no imports).

Kept apart from the templates so that the CLI can name them in its help without loading a
template engine at start-up.
"""

from __future__ import annotations

#: what a drafted message is for
INTENTS = ("catch-up", "congratulate", "offer-help", "share", "invite", "thank", "ask")
#: how a drafted message goes
MEDIA = ("email", "linkedin", "sms", "call", "video")
#: what `rekindle log --medium` accepts: the drafting media plus meetings in person
LOG_MEDIA = ("email", "linkedin", "sms", "call", "video", "coffee", "meeting", "other")
#: intents `rekindle log` records: the drafting intents plus an introduction you made
LOG_INTENTS = (*INTENTS, "introduce")
