/// The data catalog: every field a rule can read.
///
/// The table lives in `CatalogTable.generated.swift`, produced by
/// `scripts/generate-catalog.py` from ../shared/stellantis-api/api-b2c.yaml (enum members,
/// integer-ness and monitor ops are read from the API file; a test checks they agree).
/// FieldIDs are indexes into `fields` and stable: new fields are only ever appended.
public enum Catalog {
    public static let fields: [Field] = CatalogTable.fields

    /// Field lookup by alias, e.g. `battery.level`.
    public static func field(named alias: String) -> Field? {
        byAlias[alias]
    }

    public static subscript(id: FieldID) -> Field { fields[id.index] }

    /// All 29 `DataTrigger.data` paths with the ops the API accepts, including those
    /// no rule field maps to.
    public static let monitorPaths: [MonitorSupport] = CatalogTable.monitorPaths

    /// The field a monitor `data` path maps onto (e.g. `vehicle.energy.electric.level` →
    /// `battery.level`), when a rule field is watched through that path.
    public static func field(forMonitorPath path: String) -> Field? {
        byMonitorPath[path]
    }

    /// The API's support for a `DataTrigger.data` path (one of the 29), whether or not a
    /// rule field maps onto it.
    public static func monitorSupport(forPath path: String) -> MonitorSupport? {
        monitorPaths.first { $0.path == path }
    }

    private static let byMonitorPath: [String: Field] = Dictionary(
        uniqueKeysWithValues: fields.compactMap { field in field.monitor.map { ($0.path, field) } })

    private static let byAlias: [String: Field] = Dictionary(uniqueKeysWithValues: fields.map { ($0.alias, $0) })
}
