"""Customer notices: their texts, and the outbox that sends each one once by e-mail.

texts writes each notice; queue writes it into the outbox once; outbox claims the due ones and records how sending went; transports
deliver one (SMTP, or the sandbox's mailbox); sender runs the outbox in a background thread."""
