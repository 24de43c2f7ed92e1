import Synchronization

/// The vehicles' labels as the API lists them (VIN → label), kept in memory by serve's
/// drift check: what `{{vehicle.name}}` and an alert's `vehicle` show for a vehicle the
/// inventory gives no `name`. In memory, not stored: the API is the source, read again at
/// every check, and a label is no decision (docs/notifications.md).
package final class VehicleLabels: Sendable {
    private let labels = Mutex<[String: String]>([:])

    package init() {}

    package func label(vin: String) -> String? { labels.withLock { $0[vin] } }

    /// Takes the labels of a listing (a vehicle no longer listed keeps its last label).
    func update(_ new: [String: String]) {
        guard !new.isEmpty else { return }
        labels.withLock { $0.merge(new) { _, fresh in fresh } }
    }
}
