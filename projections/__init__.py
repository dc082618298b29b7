"""Read models: tables plus idempotent handlers. They do not know where events come from."""
