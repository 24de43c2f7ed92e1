/// Module Notifications: people's channels and one delivery attempt through each
/// (docs/notifications.md).
///
/// - `NotificationMessage`: what is sent (a rule's notify action or one of Vigie's alerts),
///   with the delivery's stable id.
/// - `ChannelConfiguration` / `ChannelSettings`: one channel of `notifications.channels`.
/// - `Channels/`: one file per provider: the request built as its documentation says, and
///   its answer read into a `DeliveryResult` (delivered / retryable / failed).
/// - `Email/`: SMTP on SwiftNIO + NIOSSL (implicit TLS and STARTTLS, AUTH PLAIN/LOGIN) and
///   the RFC 5322 message.
/// - `NotificationSender`: a channel's configuration → the code that sends through it.
///
/// Secrets (`ChannelSecret`) never print: results and errors go through `SecretRedactor`.
enum NotificationsModule {}
