import Foundation

// `vigie explain` on SQLite: one `vigie serve` per file runs one engine, which observes
// every row (docs/explain.md).
extension OutcomeDatabase {
    package func engineScope(base: String, vin: String) throws -> EngineScope {
        EngineScope(name: base)
    }
}
