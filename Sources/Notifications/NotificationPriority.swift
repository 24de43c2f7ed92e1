/// How urgent a notification is (`notify: {priority: …}`); each channel maps it onto its
/// provider's scale (docs/notifications.md).
package enum NotificationPriority: String, Sendable, Hashable, CaseIterable, Codable {
    case low, normal, high, urgent
}
