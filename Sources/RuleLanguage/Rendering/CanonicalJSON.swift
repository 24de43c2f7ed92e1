import VehicleData

/// Deterministic JSON text for `JSONValue` as the rule tools print it (validate, compile,
/// dry-run, schema): object keys sorted, integral numbers without a decimal point, `/`
/// and non-ASCII characters left as they are. The same value always prints the same
/// bytes on every platform (goldens stay stable). Written by VehicleData's `JSONWriter`.
public enum CanonicalJSON {
    /// Pretty output (two-space indent, `"key": value`) or a single line (`", "`, `": "`).
    public static func text(_ value: JSONValue, pretty: Bool = true) -> String {
        (pretty ? prettyWriter : lineWriter).string(value)
    }

    static func number(_ n: Double) -> String { lineWriter.number(n) }

    private static let prettyWriter = JSONWriter(layout: .pretty, shortControlEscapes: true)
    private static let lineWriter = JSONWriter(layout: .spaced, shortControlEscapes: true)
}
