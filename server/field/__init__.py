"""The field app's domain: what a field device shows and records (the visit form)."""
