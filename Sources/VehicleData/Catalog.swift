/// The data catalog: every field a rule can read.
///
/// NOTE (bootstrap): this hand-written table carries the fields SEMANTICS.md fixes;
/// it is to be replaced by `CatalogTable.generated.swift`, produced by
/// `scripts/generate-catalog.py` from ../shared/stellantis-api/api-b2c.yaml, keeping
/// this API (`fields`, `field(named:)`, `monitorPaths`).
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

    private static let byAlias: [String: Field] = Dictionary(uniqueKeysWithValues: fields.map { ($0.alias, $0) })
}
