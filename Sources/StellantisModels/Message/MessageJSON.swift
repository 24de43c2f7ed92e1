import VehicleData

/// A webhook message's canonical JSON: sorted keys, no insignificant spaces, integral
/// numbers below 10¹⁵ without a decimal point. What the inbox stores of each message,
/// what the receiver's dedup key hashes (so a retry, whatever its spacing or key order,
/// has the same key), and what the typed models are decoded from when a message needs
/// its precise error (`InboundMessage.check`). Bodies are read with VehicleData's parser
/// (`JSONValue(parsing:)`).
public enum MessageJSON {
    /// Sorted keys, no insignificant spaces, integral numbers without a decimal point
    /// (VehicleData's `JSONWriter`).
    public static func bytes(_ value: JSONValue) -> [UInt8] { writer.bytes(value) }

    private static let writer = JSONWriter(layout: .compact, integralBelow: 1e15)
}
