"""The sync protocol: messages, apply and merge rules, cursors. No web framework here."""
