"""One class per screen, each with its .kv rule beside it; ``show(root)`` fills in the words."""
