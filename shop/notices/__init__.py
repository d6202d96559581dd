"""Customer notices: their texts, and the outbox that sends each one once by e-mail."""
