import Foundation

/// The engine that observes a vehicle's notifications in `vigie serve`, for a rebuild of
/// its decisions (`vigie explain`, the console's trace page): the engine-state scope its
/// state and checkpoint are saved under, and which rows that engine observes beside the
/// vehicle's own — their instants move its clock (docs/explain.md). SQLite runs one engine
/// (`serve`) over every row; PostgreSQL with partitions runs one per partition
/// (`serve/p<N>`, the rows of partition N's vehicles; docs/cluster.md).
package struct EngineScope: Sendable {
    /// The engine-state scope (`serve`, `serve/p7`).
    package var name: String
    /// Whether that engine observes the rows of vehicle `vin` (nil: a row naming none).
    package var observes: @Sendable (_ vin: String?) -> Bool

    package init(name: String, observes: @escaping @Sendable (_ vin: String?) -> Bool = { _ in true }) {
        self.name = name
        self.observes = observes
    }
}
