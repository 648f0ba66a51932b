"""``make partner-demo``: a verifying webhook receiver, subscribed as a partner would."""
