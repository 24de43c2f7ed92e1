/// A configured channel that delivers one notification per call. Implementations never
/// throw: every outcome is a `DeliveryResult`, whose texts hold no secret.
package protocol NotificationChannel: Sendable {
    var name: String { get }
    func deliver(_ message: NotificationMessage) async -> DeliveryResult
}
